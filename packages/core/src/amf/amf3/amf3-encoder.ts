import { AmfEncodeError } from '../../errors/index.js';
import type { ByteWriter } from '../../bytes/index.js';
import { AMF_ECMA_ARRAY, AmfVector, AmfXml, AmfXmlDocument, type AmfObject, type AmfValue } from '../amf-value.js';
import { Amf3Marker } from './amf3-markers.js';
import { enterNested, type NestingState, type ResolvedAmf3Options } from './amf3-options.js';
import { writeArray, writeDictionary, writeEcmaArray, writeVector } from './encode-collections.js';
import { writeObject } from './encode-object.js';
import type { Amf3ExternalizableRegistry } from './externalizable.js';
import { isInt29, writeInlineHeader, writeInt29, writeU29 } from './u29.js';

/**
 * Writes AMF3 values to one writer with one set of reference tables. Repeated non-empty
 * strings, repeated complex values (by identity) and repeated traits are written as
 * references, as Flash does. One instance per top-level value.
 */
export class Amf3Encoder implements NestingState {
  private readonly strings = new Map<string, number>();
  private readonly objects = new Map<object, number>();
  /** Traits-table indexes by `traitsKey`. */
  readonly traits = new Map<string, number>();
  readonly externalizables: Amf3ExternalizableRegistry;
  readonly maxDepth: number;
  depth = 0;

  constructor(
    readonly writer: ByteWriter,
    options: ResolvedAmf3Options,
  ) {
    this.externalizables = options.externalizables;
    this.maxDepth = options.maxDepth;
  }

  /** Writes one value, marker first. */
  writeValue(value: AmfValue): void {
    const writer = this.writer;
    switch (typeof value) {
      case 'undefined':
        writer.u8(Amf3Marker.Undefined);
        return;
      case 'boolean':
        writer.u8(value ? Amf3Marker.True : Amf3Marker.False);
        return;
      case 'number':
        if (isInt29(value)) {
          writer.u8(Amf3Marker.Integer);
          writeInt29(writer, value);
        } else {
          writer.u8(Amf3Marker.Double).f64(value);
        }
        return;
      case 'string':
        writer.u8(Amf3Marker.String);
        this.writeString(value);
        return;
      case 'object':
        if (value === null) writer.u8(Amf3Marker.Null);
        else this.writeComplex(value);
        return;
      default:
        throw new AmfEncodeError(`AMF3 cannot encode a ${typeof value}${typeof value === 'symbol' ? ` (${String(value)})` : ''}`);
    }
  }

  /** Writes a UTF-8-vr: the empty string inline, a repeated string as a reference. */
  writeString(text: string): void {
    if (text === '') {
      this.writer.u8(0x01);
      return;
    }
    const index = this.strings.get(text);
    if (index !== undefined) {
      writeU29(this.writer, index * 2);
      return;
    }
    this.strings.set(text, this.strings.size);
    this.writeUtf8Body(text, 'string');
  }

  /**
   * Writes a reference if `value` was written before and returns true; otherwise records it
   * in the object table (before its members, so cycles become references) and returns false.
   */
  writeReferenceOrRecord(value: object): boolean {
    const index = this.objects.get(value);
    if (index !== undefined) {
      writeU29(this.writer, index * 2);
      return true;
    }
    this.objects.set(value, this.objects.size);
    return false;
  }

  /** Steps into a nested container (see `maxDepth`); pair with `leave()`. */
  enter(what: string): void {
    enterNested(this, what, 'encoding');
  }

  /** Steps back out of a container entered with `enter()`. */
  leave(): void {
    this.depth--;
  }

  private writeComplex(value: object): void {
    const writer = this.writer;
    if (Array.isArray(value)) return writeArray(this, value);
    if (value instanceof Date) {
      writer.u8(Amf3Marker.Date);
      if (!this.writeReferenceOrRecord(value)) writer.u8(0x01).f64(value.getTime());
      return;
    }
    if (value instanceof Uint8Array) {
      writer.u8(Amf3Marker.ByteArray);
      if (this.writeReferenceOrRecord(value)) return;
      writeInlineHeader(writer, value.length, 'ByteArray');
      writer.bytes(value);
      return;
    }
    if (value instanceof AmfXml || value instanceof AmfXmlDocument) {
      writer.u8(value instanceof AmfXml ? Amf3Marker.Xml : Amf3Marker.XmlDocument);
      if (!this.writeReferenceOrRecord(value)) this.writeUtf8Body(value.xml, 'XML');
      return;
    }
    if (value instanceof AmfVector) return writeVector(this, value);
    if (value instanceof Map) return writeDictionary(this, value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      throw new AmfEncodeError(`AMF3 cannot encode a ${value.constructor.name}: use a Uint8Array for a ByteArray`);
    }
    if ((value as AmfObject)[AMF_ECMA_ARRAY] === true) return writeEcmaArray(this, value as AmfObject);
    writeObject(this, value as AmfObject);
  }

  /** (byteLength << 1) | 1 then the UTF-8 bytes. */
  private writeUtf8Body(text: string, what: string): void {
    writeInlineHeader(this.writer, Buffer.byteLength(text, 'utf8'), `${what} byte length`);
    this.writer.utf8(text);
  }
}
