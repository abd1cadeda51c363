import type { RtmpMessage } from '../message/rtmp-message.js';
import { assertChunkSize, assertChunkStreamId, assertEncodableMessage } from './chunk-arguments.js';
import { basicHeaderSize, writeBasicHeader } from './basic-header.js';
import { EXTENDED_TIMESTAMP_MARKER, MESSAGE_HEADER_SIZE } from './chunk-constants.js';

/**
 * How the first chunk of a message is headed. `timestampField` is what the header carries: the
 * absolute timestamp for fmt 0, the delta for fmt 1 and 2, and for fmt 3 the value in force
 * (only written when `extended`).
 */
export interface ChunkHeaderPlan {
  fmt: number;
  timestampField: number;
  /** The header in force uses 0xFFFFFF: every chunk of the message carries the 4-byte field. */
  extended: boolean;
}

/**
 * Writes `message` as chunks into one allocation of exactly the right size: the first chunk
 * headed per `plan`, the rest with fmt 3 continuation headers (full 1..3-byte basic header, and
 * the extended field again when `plan.extended`). If `chunks` is given, a view of each chunk is
 * pushed onto it. The caller has validated the arguments.
 */
export function writeMessageChunks(
  message: RtmpMessage,
  chunkStreamId: number,
  chunkSize: number,
  plan: ChunkHeaderPlan,
  chunks?: Buffer[],
): Buffer {
  const { payload } = message;
  const length = payload.length;
  const { fmt, timestampField, extended } = plan;
  const basicSize = basicHeaderSize(chunkStreamId);
  const extendedSize = extended ? 4 : 0;
  const continuationSize = basicSize + extendedSize;
  const chunkCount = length === 0 ? 1 : Math.ceil(length / chunkSize);
  const total = basicSize + MESSAGE_HEADER_SIZE[fmt]! + extendedSize + length + (chunkCount - 1) * continuationSize;
  const out = Buffer.allocUnsafe(total);

  let at = writeBasicHeader(out, 0, fmt, chunkStreamId);
  if (fmt <= 2) {
    out.writeUIntBE(extended ? EXTENDED_TIMESTAMP_MARKER : timestampField, at, 3);
    at += 3;
  }
  if (fmt <= 1) {
    out.writeUIntBE(length, at, 3);
    out[at + 3] = message.type;
    at += 4;
  }
  if (fmt === 0) at = out.writeUInt32LE(message.streamId, at); // the one little-endian field
  if (extended) at = out.writeUInt32BE(timestampField, at);

  let chunkStart = 0;
  let sent = 0;
  for (;;) {
    const size = Math.min(chunkSize, length - sent);
    payload.copy(out, at, sent, sent + size);
    at += size;
    sent += size;
    chunks?.push(out.subarray(chunkStart, at));
    if (sent >= length) break;
    chunkStart = at;
    at = writeBasicHeader(out, at, 3, chunkStreamId);
    if (extended) at = out.writeUInt32BE(timestampField, at);
  }
  return out;
}

/** The fmt 0 plan for `timestamp`: the extended field is used from 0xFFFFFF up. */
export function typeZeroPlan(timestamp: number): ChunkHeaderPlan {
  return { fmt: 0, timestampField: timestamp, extended: timestamp >= EXTENDED_TIMESTAMP_MARKER };
}

/**
 * Encodes `message` without any per-connection state: a fmt 0 header, then fmt 3 continuations.
 * The bytes are valid on any connection whose outgoing chunk size is `chunkSize`, so one call
 * can be written to many sockets (fan-out). After writing it on a connection, call
 * `ChunkEncoder.recordSent` there so that connection's later stateful encodes stay correct.
 */
export function encodeMessageChunks(message: RtmpMessage, chunkStreamId: number, chunkSize: number): Buffer {
  assertEncodableMessage(message);
  assertChunkStreamId(chunkStreamId);
  assertChunkSize(chunkSize);
  return writeMessageChunks(message, chunkStreamId, chunkSize, typeZeroPlan(message.timestamp));
}
