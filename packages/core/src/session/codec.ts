/**
 * The one place the session reaches into the codecs: every import from `message/` goes through
 * here, so a change in their API touches one file. Also holds the two small pieces the session
 * needs on top of them: building commands from parts, and unwrapping `@setDataFrame` without
 * decoding the metadata.
 */
import type { AmfValue } from '../amf/amf-value.js';
import {
  MessageType,
  decodeAcknowledgement,
  decodeCommand,
  decodeSetPeerBandwidth,
  decodeUserControl,
  decodeWindowAcknowledgementSize,
  encodeAcknowledgement,
  encodeCommand,
  encodeData,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeUserControl,
  encodeWindowAcknowledgementSize,
  splitAggregate,
  type RtmpCommand,
  type UserControlMessage,
} from '../message/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';

export {
  MessageType,
  decodeAcknowledgement,
  decodeCommand,
  decodeSetPeerBandwidth,
  decodeUserControl,
  decodeWindowAcknowledgementSize,
  encodeAcknowledgement,
  encodeData,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeUserControl,
  encodeWindowAcknowledgementSize,
  splitAggregate,
  type RtmpCommand,
  type UserControlMessage,
};

/** Builds a command message from its parts; `amf3` picks type 17 over 20. */
export function commandMessage(
  name: string,
  transactionId: number,
  commandObject: AmfValue,
  args: readonly AmfValue[],
  streamId: number,
  amf3: boolean,
): RtmpMessage {
  return encodeCommand({ name, transactionId, commandObject, args: [...args] }, { streamId, amf3 });
}

/** Builds a data message (`name`, values...); `amf3` picks type 15 over 18. */
export function dataMessage(name: string, values: readonly AmfValue[], streamId: number, timestamp: number, amf3: boolean): RtmpMessage {
  return encodeData({ name, values: [...values] }, { streamId, timestamp, amf3 });
}

/** True for audio (8), video (9), data (18, 15) and aggregate (22): what a NetStream carries. */
export function isStreamPayloadType(type: number): boolean {
  return (
    type === MessageType.Audio ||
    type === MessageType.Video ||
    type === MessageType.DataAmf0 ||
    type === MessageType.DataAmf3 ||
    type === MessageType.Aggregate
  );
}

/** `02 00 0D "@setDataFrame"`: the AMF0 string every publisher opens its metadata with. */
const SET_DATA_FRAME_PREFIX = Buffer.concat([Buffer.of(0x02, 0x00, 0x0d), Buffer.from('@setDataFrame', 'latin1')]);

/** True when `payload` holds the AMF0 string "@setDataFrame" at `offset`. */
function setDataFrameAt(payload: Buffer, offset: number): boolean {
  const end = offset + SET_DATA_FRAME_PREFIX.length;
  return payload.length >= end && payload.subarray(offset, end).equals(SET_DATA_FRAME_PREFIX);
}

/**
 * The data message with a leading `@setDataFrame` removed, as a server hands it on. Nothing is
 * decoded: in type 18 the wrapper is cut off as a view; in type 15 (after its format byte) the
 * payload is rebuilt around it. Messages without the wrapper come back as they are.
 */
export function withoutSetDataFrame(message: RtmpMessage): RtmpMessage {
  const { payload } = message;
  if (message.type === MessageType.DataAmf0 && setDataFrameAt(payload, 0)) {
    return { ...message, payload: payload.subarray(SET_DATA_FRAME_PREFIX.length) };
  }
  if (message.type === MessageType.DataAmf3 && setDataFrameAt(payload, 1)) {
    return { ...message, payload: Buffer.concat([payload.subarray(0, 1), payload.subarray(1 + SET_DATA_FRAME_PREFIX.length)]) };
  }
  return message;
}
