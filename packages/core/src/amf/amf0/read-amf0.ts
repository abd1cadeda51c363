import {
  AMF_CLASS_NAME,
  AMF_ECMA_ARRAY,
  AMF_UNSUPPORTED,
  AmfXmlDocument,
  setOwnProperty,
  type AmfObject,
  type AmfValue,
} from '../amf-value.js';
import { readAmf3 } from '../amf3/index.js';
import type { ByteReader } from '../../bytes/index.js';
import { AmfDecodeError, TruncatedInputError } from '../../errors/index.js';
import type { Amf0DecodeContext } from './decode-context.js';
import { asDepthError, enterNested } from './limits.js';
import { Amf0Marker } from './markers.js';

/**
 * Reads one AMF0 value (marker included) at the reader's offset and moves past it.
 * Objects and arrays go into `context.references` as they start, so a later reference
 * (0x07) in the same body — even one inside the object itself — resolves to them.
 *
 * Throws `TruncatedInputError` when the bytes end early, `AmfDecodeError` for bytes that
 * break the format, and `LimitExceededError` when nesting passes `maxDepth`.
 */
export function readAmf0(reader: ByteReader, context: Amf0DecodeContext): AmfValue {
  try {
    return readValue(reader, context);
  } catch (error) {
    throw asDepthError(error, context.maxDepth);
  }
}

function readValue(reader: ByteReader, context: Amf0DecodeContext): AmfValue {
  const marker = reader.u8();
  switch (marker) {
    case Amf0Marker.Number:
      return reader.f64();
    case Amf0Marker.Boolean:
      return reader.u8() !== 0;
    case Amf0Marker.String:
      return reader.utf8(reader.u16());
    case Amf0Marker.Object:
      return readProperties(reader, context, {}, 'object');
    case Amf0Marker.Null:
      return null;
    case Amf0Marker.Undefined:
      return undefined;
    case Amf0Marker.Reference:
      return readReference(reader, context);
    case Amf0Marker.EcmaArray:
      // The count is only a hint: encoders write 0 or wrong numbers. The end marker decides.
      reader.u32();
      return readProperties(reader, context, { [AMF_ECMA_ARRAY]: true }, 'ECMA array');
    case Amf0Marker.StrictArray:
      return readStrictArray(reader, context);
    case Amf0Marker.Date:
      return readDate(reader);
    case Amf0Marker.LongString:
      return reader.utf8(reader.u32());
    case Amf0Marker.Unsupported:
      return AMF_UNSUPPORTED;
    case Amf0Marker.XmlDocument:
      return new AmfXmlDocument(reader.utf8(reader.u32()));
    case Amf0Marker.TypedObject: {
      const className = reader.utf8(reader.u16());
      return readProperties(reader, context, { [AMF_CLASS_NAME]: className }, 'typed object');
    }
    case Amf0Marker.AvmPlus:
      // One AMF3 value with fresh AMF3 tables; it takes no slot in the AMF0 table.
      return readAmf3(reader, context.amf3Options);
    case Amf0Marker.ObjectEnd:
      throw new AmfDecodeError(`AMF0 object-end marker 0x09 at offset ${reader.offset - 1} is not after an empty property name`);
    case Amf0Marker.MovieClip:
    case Amf0Marker.RecordSet:
      throw new AmfDecodeError(`AMF0 marker 0x${hexByte(marker)} at offset ${reader.offset - 1} is reserved and not supported`);
    default:
      throw new AmfDecodeError(`unknown AMF0 marker 0x${hexByte(marker)} at offset ${reader.offset - 1}`);
  }
}

/**
 * Reads `name value` pairs into `target` until the empty name and 0x09. Shared by the
 * object, ECMA array and typed object, whose members are laid out the same way.
 */
function readProperties(reader: ByteReader, context: Amf0DecodeContext, target: AmfObject, what: string): AmfObject {
  enterNested(context, what);
  context.references.push(target);
  for (;;) {
    const nameLength = reader.u16();
    if (nameLength === 0) {
      const marker = reader.u8();
      if (marker === Amf0Marker.ObjectEnd) break;
      throw new AmfDecodeError(
        `AMF0 ${what} has an empty property name followed by marker 0x${hexByte(marker)} instead of the object end 0x09`,
      );
    }
    const name = reader.utf8(nameLength);
    // setOwnProperty keeps `__proto__` an own data property instead of a prototype change.
    setOwnProperty(target, name, readValue(reader, context));
  }
  context.depth--;
  return target;
}

function readStrictArray(reader: ByteReader, context: Amf0DecodeContext): AmfValue[] {
  const count = reader.u32();
  // Every element takes at least one byte: refuse a count the body cannot hold.
  if (count > reader.remaining) {
    throw new TruncatedInputError(
      `AMF0 strict array declares ${count} elements but only ${reader.remaining} bytes are left`,
    );
  }
  enterNested(context, 'strict array');
  const array: AmfValue[] = [];
  context.references.push(array);
  for (let i = 0; i < count; i++) array.push(readValue(reader, context));
  context.depth--;
  return array;
}

function readReference(reader: ByteReader, context: Amf0DecodeContext): AmfValue {
  const index = reader.u16();
  if (index >= context.references.length) {
    throw new AmfDecodeError(
      `AMF0 reference ${index} points past the ${context.references.length} objects and arrays read so far`,
    );
  }
  return context.references[index];
}

function readDate(reader: ByteReader): Date {
  const milliseconds = reader.f64();
  reader.i16(); // time zone: reserved, the spec says to ignore it
  return new Date(milliseconds);
}

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
