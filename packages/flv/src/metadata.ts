import {
  Amf0Marker,
  ByteReader,
  createAmf0DecodeContext,
  decodeData,
  ON_META_DATA,
  readAmf0,
  RtmpError,
  stripSetDataFrame,
  type AmfObject,
  type RtmpMessage,
} from '@rtmpkit/core';

const ON_META_DATA_PREFIX = Buffer.from([Amf0Marker.String, 0x00, ON_META_DATA.length, ...Buffer.from(ON_META_DATA, 'latin1')]);

/** True when an AMF0 script-data body starts with the string `"onMetaData"`. */
export function isOnMetaData(payload: Uint8Array): boolean {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).subarray(0, ON_META_DATA_PREFIX.length).equals(ON_META_DATA_PREFIX);
}

/**
 * The object of an `onMetaData` script tag (type 18 or 15; an `@setDataFrame` wrapper is
 * unwrapped), or undefined when the tag is other data or does not decode.
 */
export function decodeOnMetaData(message: Pick<RtmpMessage, 'type' | 'payload'>): AmfObject | undefined {
  try {
    const data = stripSetDataFrame(decodeData({ ...message, streamId: 0, timestamp: 0 }));
    const value = data.values[0];
    if (data.name !== ON_META_DATA || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as AmfObject;
  } catch (error) {
    if (RtmpError.isInstance(error)) return undefined;
    throw error;
  }
}

/**
 * Where the top-level numbers of an AMF0 `onMetaData` body sit: property name → byte offset of
 * its 8-byte big-endian double inside `payload`. Writing another double there changes the value
 * without changing the size, which is how a recorder fixes `duration` and `filesize` on close.
 * Returns undefined when the body is not `"onMetaData"` followed by an ECMA array or object, or
 * does not decode.
 */
export function locateMetadataNumbers(payload: Uint8Array): Map<string, number> | undefined {
  if (!isOnMetaData(payload)) return undefined;
  const reader = new ByteReader(payload, ON_META_DATA_PREFIX.length);
  const context = createAmf0DecodeContext();
  try {
    const marker = reader.u8();
    if (marker === Amf0Marker.EcmaArray) reader.u32(); // the count is only a hint
    else if (marker !== Amf0Marker.Object) return undefined;
    // The array itself is reference 0: keep the table's numbering right for values inside it.
    context.references.push({});
    context.depth = 1;
    const numbers = new Map<string, number>();
    for (;;) {
      const name = reader.utf8(reader.u16());
      if (name === '' && reader.buffer[reader.offset] === Amf0Marker.ObjectEnd) return numbers;
      if (reader.u8() === Amf0Marker.Number) {
        reader.need(8);
        if (!numbers.has(name)) numbers.set(name, reader.offset);
        reader.offset += 8;
      } else {
        reader.offset--;
        readAmf0(reader, context);
      }
    }
  } catch (error) {
    if (RtmpError.isInstance(error)) return undefined;
    throw error;
  }
}

