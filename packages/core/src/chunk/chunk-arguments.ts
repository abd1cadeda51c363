import type { RtmpMessage } from '../message/rtmp-message.js';
import { isChunkStreamId } from './basic-header.js';
import { MAX_CHUNK_SIZE_FIELD, MAX_MESSAGE_LENGTH } from './chunk-constants.js';

// Checks of what local code passes in. A wrong argument is a bug in the caller, not something a
// peer sent, so these throw RangeError / TypeError rather than an RtmpError.

/** Throws a RangeError unless `size` is a chunk size Set Chunk Size can carry (1..2^31-1). */
export function assertChunkSize(size: number, what = 'chunk size'): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_CHUNK_SIZE_FIELD) {
    throw new RangeError(`${what} must be an integer in 1..${MAX_CHUNK_SIZE_FIELD}, got ${size}`);
  }
}

/** Throws a RangeError unless `chunkStreamId` is in 2..65599. */
export function assertChunkStreamId(chunkStreamId: number): void {
  if (!isChunkStreamId(chunkStreamId)) {
    throw new RangeError(`chunk stream id must be an integer in 2..65599, got ${chunkStreamId}`);
  }
}

function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/** Throws unless every header field of `message` fits its wire field. */
export function assertEncodableMessage(message: RtmpMessage): void {
  const { type, streamId, timestamp, payload } = message;
  if (!Number.isInteger(type) || type < 0 || type > 255) {
    throw new RangeError(`message type must be an integer in 0..255, got ${type}`);
  }
  if (!isUint32(streamId)) throw new RangeError(`message stream id must be a uint32, got ${streamId}`);
  if (!isUint32(timestamp)) throw new RangeError(`timestamp must be a uint32, got ${timestamp}`);
  if (!Buffer.isBuffer(payload)) throw new TypeError('message payload must be a Buffer');
  if (payload.length > MAX_MESSAGE_LENGTH) {
    throw new RangeError(`message payload of ${payload.length} bytes exceeds the 24-bit length field`);
  }
}
