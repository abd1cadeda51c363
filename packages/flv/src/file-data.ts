import {
  Amf0Marker,
  CLEAR_DATA_FRAME,
  decodeData,
  encodeData,
  MessageType,
  RtmpError,
  SET_DATA_FRAME,
  stripSetDataFrame,
  type RtmpMessage,
} from '@rtmpkit/core';

function amf0String(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([Amf0Marker.String, bytes.length >> 8, bytes.length & 0xff]), bytes]);
}

const SET_DATA_FRAME_BYTES = amf0String(SET_DATA_FRAME);
const CLEAR_DATA_FRAME_BYTES = amf0String(CLEAR_DATA_FRAME);

/**
 * A data message (type 18, or 15 with its format byte) as a file stores it: `@setDataFrame,
 * onMetaData, {…}` loses its wrapper (the handler name and values stay byte for byte);
 * `@clearDataFrame` and a bare `@setDataFrame` are dropped (undefined); anything else, including
 * data that does not decode, is kept as it is.
 */
export function toFileData(message: RtmpMessage): RtmpMessage | undefined {
  const start = message.type === MessageType.DataAmf3 ? 1 : 0;
  const body = message.payload.subarray(start);
  if (startsWith(body, CLEAR_DATA_FRAME_BYTES)) return undefined;
  if (startsWith(body, SET_DATA_FRAME_BYTES)) {
    // An AMF0 string takes no slot in the reference table, so cutting it leaves the rest valid.
    const rest = body.subarray(SET_DATA_FRAME_BYTES.length);
    if (rest.length === 0) return undefined;
    const payload = start === 0 ? rest : Buffer.concat([message.payload.subarray(0, start), rest]);
    return { ...message, payload };
  }
  if (body[0] === Amf0Marker.AvmPlus) return unwrapAmf3Name(message, start === 1);
  return message;
}

/** The handler name itself behind the AMF3 switch: rare enough to decode and re-encode. */
function unwrapAmf3Name(message: RtmpMessage, amf3: boolean): RtmpMessage | undefined {
  let name: string | undefined;
  let stripped;
  try {
    const data = decodeData(message);
    name = data.name;
    if (name === SET_DATA_FRAME) stripped = stripSetDataFrame(data);
  } catch (error) {
    if (RtmpError.isInstance(error)) return message;
    throw error;
  }
  if (name === CLEAR_DATA_FRAME) return undefined;
  if (stripped === undefined) return message;
  const encoded = encodeData(stripped, { streamId: message.streamId, timestamp: message.timestamp, amf3 });
  return { ...message, payload: encoded.payload };
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}
