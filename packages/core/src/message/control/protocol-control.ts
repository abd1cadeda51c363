import { RtmpProtocolError } from '../../errors/index.js';
import { assertIntegerInRange, assertUint32 } from '../encode-checks.js';
import { expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import type { RtmpMessage } from '../rtmp-message.js';

/** Largest chunk size Set Chunk Size can carry: a 31-bit field (the top bit must be 0). */
export const SET_CHUNK_SIZE_MAX = 0x7fffffff;

/** Builds a protocol control message: always message stream 0 (RTMP spec §5.4). */
export function controlMessage(type: number, payload: Buffer, timestamp = 0): RtmpMessage {
  assertUint32('timestamp', timestamp);
  return { type, streamId: 0, timestamp, payload };
}

/** The 4-byte body shared by types 1, 2, 3 and 5; any other length is a protocol error. */
function readU32Body(what: string, message: RtmpMessage, type: number): number {
  expectMessageType(what, message.type, type);
  if (message.payload.length !== 4) {
    throw new RtmpProtocolError(`${what} payload must be 4 bytes, got ${message.payload.length}`);
  }
  return message.payload.readUInt32BE(0);
}

function u32Message(type: number, value: number, timestamp: number): RtmpMessage {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(value, 0);
  return controlMessage(type, payload, timestamp);
}

/** Set Chunk Size (type 1): the largest chunk the sender will use from now on, 1..0x7FFFFFFF. */
export function encodeSetChunkSize(chunkSize: number, timestamp = 0): RtmpMessage {
  assertIntegerInRange('chunkSize', chunkSize, 1, SET_CHUNK_SIZE_MAX);
  return u32Message(MessageType.SetChunkSize, chunkSize, timestamp);
}

/** Reads Set Chunk Size (type 1). A set top bit or a size of 0 is a protocol error. */
export function decodeSetChunkSize(message: RtmpMessage): number {
  const value = readU32Body('Set Chunk Size', message, MessageType.SetChunkSize);
  if (value > SET_CHUNK_SIZE_MAX) {
    throw new RtmpProtocolError(`Set Chunk Size has its top bit set (0x${value.toString(16)}); it must be 0`);
  }
  if (value === 0) throw new RtmpProtocolError('Set Chunk Size of 0; the chunk size must be at least 1');
  return value;
}

/** Abort (type 2): drop the partly received message on chunk stream `chunkStreamId`. */
export function encodeAbort(chunkStreamId: number, timestamp = 0): RtmpMessage {
  assertUint32('chunkStreamId', chunkStreamId);
  return u32Message(MessageType.Abort, chunkStreamId, timestamp);
}

/** Reads Abort (type 2): the chunk stream id whose partial message is thrown away. */
export function decodeAbort(message: RtmpMessage): number {
  return readU32Body('Abort', message, MessageType.Abort);
}

/** Acknowledgement (type 3): bytes received so far, a 32-bit count that wraps. */
export function encodeAcknowledgement(sequenceNumber: number, timestamp = 0): RtmpMessage {
  assertUint32('sequenceNumber', sequenceNumber);
  return u32Message(MessageType.Acknowledgement, sequenceNumber, timestamp);
}

/** Reads Acknowledgement (type 3): the peer's received-byte count. */
export function decodeAcknowledgement(message: RtmpMessage): number {
  return readU32Body('Acknowledgement', message, MessageType.Acknowledgement);
}

/** Window Acknowledgement Size (type 5): send an Acknowledgement after this many bytes. */
export function encodeWindowAcknowledgementSize(windowSize: number, timestamp = 0): RtmpMessage {
  assertUint32('windowSize', windowSize);
  return u32Message(MessageType.WindowAcknowledgementSize, windowSize, timestamp);
}

/** Reads Window Acknowledgement Size (type 5). */
export function decodeWindowAcknowledgementSize(message: RtmpMessage): number {
  return readU32Body('Window Acknowledgement Size', message, MessageType.WindowAcknowledgementSize);
}
