import { AMF_CLASS_NAME, AMF_UNSUPPORTED, AmfXmlDocument, isEcmaArray, type AmfValue } from '../amf-value.js';
import { writeAmf3 } from '../amf3/index.js';
import type { ByteWriter } from '../../bytes/index.js';
import { AmfEncodeError } from '../../errors/index.js';
import type { Amf0EncodeContext } from './encode-context.js';
import { asDepthError, enterNested } from './limits.js';
import { AMF0_MAX_REFERENCE_INDEX, AMF0_MAX_SHORT_STRING_BYTES, Amf0Marker } from './markers.js';
import { needsAmf3 } from './needs-amf3.js';

/**
 * Writes one AMF0 value (marker included).
 *
 * - Strings longer than 65535 UTF-8 bytes become Long String (0x0C).
 * - An object or array seen before in this body is written as a reference (0x07), which
 *   also makes cycles encodable. Past index 65535 (the U16 limit) it is written again inline,
 *   so a cycle through such a late object ends in `LimitExceededError('maxDepth')`.
 * - An object with `[AMF_CLASS_NAME]` (a string) is a typed object (0x10); otherwise one with
 *   `[AMF_ECMA_ARRAY]: true` is an ECMA array (0x08) with its real count; otherwise 0x03.
 * - Uint8Array, Map, AmfVector, AmfXml and arrays with extra string keys go through the
 *   AVM+ switch (0x11) as one AMF3 value; with `avmplus`, so do all objects and arrays.
 *
 * Throws `AmfEncodeError` for what AMF0 cannot say (functions, symbols, bigints, other typed
 * arrays, an empty or over-long property name) and `LimitExceededError` past `maxDepth`.
 */
export function writeAmf0(writer: ByteWriter, value: AmfValue, context: Amf0EncodeContext): void {
  try {
    writeValue(writer, value, context);
  } catch (error) {
    throw asDepthError(error, context.maxDepth);
  }
}

function writeValue(writer: ByteWriter, value: AmfValue, context: Amf0EncodeContext): void {
  switch (typeof value) {
    case 'number':
      writer.u8(Amf0Marker.Number).f64(value);
      return;
    case 'boolean':
      writer.u8(Amf0Marker.Boolean).u8(value ? 1 : 0);
      return;
    case 'string':
      writeString(writer, value);
      return;
    case 'undefined':
      writer.u8(Amf0Marker.Undefined);
      return;
    case 'symbol':
      if (value === AMF_UNSUPPORTED) {
        writer.u8(Amf0Marker.Unsupported);
        return;
      }
      throw new AmfEncodeError(`AMF0 cannot encode the symbol ${String(value)}`);
    case 'object':
      if (value === null) writer.u8(Amf0Marker.Null);
      else writeObjectLike(writer, value, context);
      return;
    default:
      throw new AmfEncodeError(`AMF0 cannot encode a ${typeof value}`);
  }
}

function writeString(writer: ByteWriter, text: string): void {
  const byteLength = Buffer.byteLength(text, 'utf8');
  if (byteLength <= AMF0_MAX_SHORT_STRING_BYTES) writer.u8(Amf0Marker.String).u16(byteLength);
  else writer.u8(Amf0Marker.LongString).u32(byteLength);
  writer.utf8(text);
}

function writeObjectLike(writer: ByteWriter, value: object, context: Amf0EncodeContext): void {
  if (value instanceof Date) {
    // Time zone: reserved, always 0x0000.
    writer.u8(Amf0Marker.Date).f64(value.getTime()).i16(0);
    return;
  }
  if (value instanceof AmfXmlDocument) {
    writeLongUtf8(writer.u8(Amf0Marker.XmlDocument), value.xml);
    return;
  }
  if (value instanceof ArrayBuffer || (ArrayBuffer.isView(value) && !(value instanceof Uint8Array))) {
    throw new AmfEncodeError(`AMF cannot encode a ${value.constructor.name}; use a Uint8Array (sent as an AMF3 ByteArray)`);
  }
  if (context.avmplus || needsAmf3(value)) {
    writer.u8(Amf0Marker.AvmPlus);
    writeAmf3(writer, value, context.amf3Options);
    return;
  }

  const index = context.references.get(value);
  if (index !== undefined && index <= AMF0_MAX_REFERENCE_INDEX) {
    writer.u8(Amf0Marker.Reference).u16(index);
    return;
  }
  // Numbered as it starts, like the decoder does; keep the first (smallest) index.
  if (index === undefined) context.references.set(value, context.nextReferenceIndex);
  context.nextReferenceIndex++;

  if (Array.isArray(value)) writeStrictArray(writer, value, context);
  else writeMembers(writer, value as Record<string, AmfValue>, context);
}

function writeStrictArray(writer: ByteWriter, array: readonly AmfValue[], context: Amf0EncodeContext): void {
  enterNested(context, 'strict array');
  writer.u8(Amf0Marker.StrictArray).u32(array.length);
  // Indexed loop, not for..of: holes are written as undefined.
  for (let i = 0; i < array.length; i++) writeValue(writer, array[i], context);
  context.depth--;
}

function writeMembers(writer: ByteWriter, object: Record<string, AmfValue>, context: Amf0EncodeContext): void {
  const className = (object as { [AMF_CLASS_NAME]?: unknown })[AMF_CLASS_NAME];
  const keys = Object.keys(object);
  if (typeof className === 'string') {
    enterNested(context, 'typed object');
    writeName(writer.u8(Amf0Marker.TypedObject), className, 'class name');
  } else if (isEcmaArray(object)) {
    enterNested(context, 'ECMA array');
    writer.u8(Amf0Marker.EcmaArray).u32(keys.length);
  } else {
    enterNested(context, 'object');
    writer.u8(Amf0Marker.Object);
  }
  for (const key of keys) {
    // An empty name would read back as the start of the object end `00 00 09`.
    if (key === '') throw new AmfEncodeError('AMF0 cannot encode a property with an empty name');
    writeName(writer, key, 'property name');
    writeValue(writer, object[key], context);
  }
  writer.u16(0).u8(Amf0Marker.ObjectEnd);
  context.depth--;
}

/** A U16-prefixed UTF-8 name with no marker (property names, class names). */
function writeName(writer: ByteWriter, name: string, what: string): void {
  const byteLength = Buffer.byteLength(name, 'utf8');
  if (byteLength > AMF0_MAX_SHORT_STRING_BYTES) {
    throw new AmfEncodeError(`AMF0 ${what} is ${byteLength} UTF-8 bytes; the format allows at most 65535`);
  }
  writer.u16(byteLength);
  writer.utf8(name);
}

/** A U32-prefixed UTF-8 string, length patched in after the bytes (one pass over the text). */
function writeLongUtf8(writer: ByteWriter, text: string): void {
  const lengthAt = writer.size;
  writer.u32(0);
  writer.patchU32(lengthAt, writer.utf8(text));
}
