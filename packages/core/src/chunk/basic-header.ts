import { MAX_CHUNK_STREAM_ID, MIN_CHUNK_STREAM_ID } from './chunk-constants.js';

/** Bytes the smallest basic header for `chunkStreamId` takes: 1 (2..63), 2 (64..319) or 3 (320..65599). */
export function basicHeaderSize(chunkStreamId: number): number {
  return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
}

/**
 * Bytes the basic header starting with `firstByte` takes. The low 6 bits are either the id
 * itself (2..63) or an escape code: 0 = one more byte, 1 = two more bytes.
 */
export function basicHeaderSizeOf(firstByte: number): number {
  const id = firstByte & 0x3f;
  return id === 0 ? 2 : id === 1 ? 3 : 1;
}

/** Reads the chunk stream id of the basic header at `offset` (the 3-byte form is low byte first). */
export function readChunkStreamId(source: Uint8Array, offset: number): number {
  const id = source[offset]! & 0x3f;
  if (id === 0) return source[offset + 1]! + 64;
  if (id === 1) return source[offset + 1]! + source[offset + 2]! * 256 + 64;
  return id;
}

/**
 * Writes the smallest basic header for `fmt` and `chunkStreamId` at `offset`; returns the offset
 * after it. The caller has checked that `chunkStreamId` is in 2..65599.
 */
export function writeBasicHeader(target: Uint8Array, offset: number, fmt: number, chunkStreamId: number): number {
  const top = fmt << 6;
  if (chunkStreamId < 64) {
    target[offset] = top | chunkStreamId;
    return offset + 1;
  }
  const rest = chunkStreamId - 64;
  if (chunkStreamId < 320) {
    target[offset] = top;
    target[offset + 1] = rest;
    return offset + 2;
  }
  target[offset] = top | 1;
  target[offset + 1] = rest & 0xff;
  target[offset + 2] = rest >>> 8;
  return offset + 3;
}

/** True if `value` is a chunk stream id a header can carry (2..65599). */
export function isChunkStreamId(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_CHUNK_STREAM_ID && value <= MAX_CHUNK_STREAM_ID;
}
