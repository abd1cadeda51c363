import { AmfDecodeError, TruncatedInputError } from '../../errors/index.js';
import type { ByteReader } from '../../bytes/index.js';
import { AmfXml, AmfXmlDocument, type AmfValue } from '../amf-value.js';
import { Amf3Marker } from './amf3-markers.js';
import { enterNested, type NestingState, type ResolvedAmf3Options } from './amf3-options.js';
import type { Amf3Traits } from './amf3-traits.js';
import { readArray, readDictionary, readVector } from './decode-collections.js';
import { readObject } from './decode-object.js';
import type { Amf3ExternalizableRegistry } from './externalizable.js';
import { readInt29, readU29 } from './u29.js';

/**
 * Reads AMF3 values from one reader with one set of reference tables (strings, objects,
 * traits). One instance per top-level value: inside RTMP the tables reset for each value.
 */
export class Amf3Decoder implements NestingState {
  /** The string table: non-empty strings in the order they were first read. */
  readonly strings: string[] = [];
  /** The object table: complex values in the order they begin (before their members are read). */
  readonly objects: AmfValue[] = [];
  /** The traits table. */
  readonly traits: Amf3Traits[] = [];
  readonly externalizables: Amf3ExternalizableRegistry;
  readonly maxDepth: number;
  depth = 0;

  constructor(
    readonly reader: ByteReader,
    options: ResolvedAmf3Options,
  ) {
    this.externalizables = options.externalizables;
    this.maxDepth = options.maxDepth;
  }

  /** Reads one value, marker first. */
  readValue(): AmfValue {
    const reader = this.reader;
    const marker = reader.u8();
    switch (marker) {
      case Amf3Marker.Undefined:
        return undefined;
      case Amf3Marker.Null:
        return null;
      case Amf3Marker.False:
        return false;
      case Amf3Marker.True:
        return true;
      case Amf3Marker.Integer:
        return readInt29(reader);
      case Amf3Marker.Double:
        return reader.f64();
      case Amf3Marker.String:
        return this.readString();
      case Amf3Marker.XmlDocument:
        return this.readXml(AmfXmlDocument);
      case Amf3Marker.Date:
        return this.readDate();
      case Amf3Marker.Array:
        return readArray(this);
      case Amf3Marker.Object:
        return readObject(this);
      case Amf3Marker.Xml:
        return this.readXml(AmfXml);
      case Amf3Marker.ByteArray:
        return this.readByteArray();
      case Amf3Marker.VectorInt:
      case Amf3Marker.VectorUint:
      case Amf3Marker.VectorDouble:
      case Amf3Marker.VectorObject:
        return readVector(this, marker);
      case Amf3Marker.Dictionary:
        return readDictionary(this);
      default:
        throw new AmfDecodeError(`unknown AMF3 marker 0x${marker.toString(16).padStart(2, '0')} at offset ${reader.offset - 1}`);
    }
  }

  /** Reads a UTF-8-vr: an inline string (added to the string table unless empty) or a reference. */
  readString(): string {
    const header = readU29(this.reader);
    if ((header & 1) === 0) return this.stringAt(header >>> 1);
    const byteLength = header >>> 1;
    if (byteLength === 0) return '';
    const text = this.reader.utf8(byteLength);
    this.strings.push(text);
    return text;
  }

  /** The object-table entry for a U29O-ref index. */
  objectAt(index: number): AmfValue {
    if (index >= this.objects.length) {
      throw new AmfDecodeError(`object reference ${index} out of range (${this.objects.length} objects so far)`);
    }
    return this.objects[index];
  }

  /** The traits-table entry for a U29O-traits-ref index. */
  traitsAt(index: number): Amf3Traits {
    const traits = this.traits[index];
    if (traits === undefined) {
      throw new AmfDecodeError(`traits reference ${index} out of range (${this.traits.length} traits so far)`);
    }
    return traits;
  }

  /**
   * Checks a declared count against the bytes left, before any work: each item takes at
   * least `minBytes`, so a count of 2^28 in a short input fails here instead of allocating.
   */
  requireItems(count: number, minBytes: number, what: string): void {
    const remaining = this.reader.remaining;
    if (count * minBytes > remaining) {
      throw new TruncatedInputError(`${what}: ${count} declared at offset ${this.reader.offset}, only ${remaining} bytes left`);
    }
  }

  /** Steps into a nested container (see `maxDepth`); pair with `leave()`. */
  enter(what: string): void {
    enterNested(this, what, 'decoding');
  }

  /** Steps back out of a container entered with `enter()`. */
  leave(): void {
    this.depth--;
  }

  private stringAt(index: number): string {
    const text = this.strings[index];
    if (text === undefined) {
      throw new AmfDecodeError(`string reference ${index} out of range (${this.strings.length} strings so far)`);
    }
    return text;
  }

  private readXml(Kind: typeof AmfXml | typeof AmfXmlDocument): AmfValue {
    const header = readU29(this.reader);
    if ((header & 1) === 0) return this.objectAt(header >>> 1);
    const xml = new Kind(this.reader.utf8(header >>> 1));
    this.objects.push(xml);
    return xml;
  }

  private readDate(): AmfValue {
    const header = readU29(this.reader);
    if ((header & 1) === 0) return this.objectAt(header >>> 1);
    const date = new Date(this.reader.f64());
    this.objects.push(date);
    return date;
  }

  /** A ByteArray decodes as a view of the input (no copy). */
  private readByteArray(): AmfValue {
    const header = readU29(this.reader);
    if ((header & 1) === 0) return this.objectAt(header >>> 1);
    const bytes = this.reader.bytes(header >>> 1);
    this.objects.push(bytes);
    return bytes;
  }
}
