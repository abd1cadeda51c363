import { ByteWriter } from '@rtmpkit/core';
import { RtmfpPacketError } from '../errors.js';

/** A chunk as framed in a packet: `type(8) | length(16) | payload` (RFC 7016 §2.3). */
export interface RawChunk {
  readonly type: number;
  /** A view into the decrypted packet. */
  readonly payload: Buffer;
}

/** Bytes of a chunk header. */
export const CHUNK_HEADER_SIZE = 3;
/** The largest payload a 16-bit length allows. */
export const MAX_CHUNK_PAYLOAD = 0xffff;

/** Types 0x00 and 0xff are reserved for padding: a parser stops at either (RFC 7016 §2.3). */
export function isPaddingChunkType(type: number): boolean {
  return type === 0x00 || type === 0xff;
}

/** Writes one framed chunk. */
export function writeChunk(writer: ByteWriter, chunk: RawChunk): void {
  if (chunk.payload.length > MAX_CHUNK_PAYLOAD) {
    throw new RangeError(`a chunk payload holds at most ${MAX_CHUNK_PAYLOAD} bytes, not ${chunk.payload.length}`);
  }
  if (!Number.isInteger(chunk.type) || chunk.type < 0 || chunk.type > 0xff || isPaddingChunkType(chunk.type)) {
    throw new RangeError(`chunk type ${chunk.type} is not a sendable chunk type`);
  }
  writer.u8(chunk.type).u16(chunk.payload.length).bytes(chunk.payload);
}

/**
 * Splits the chunk area of a plain packet. Reads while at least 3 bytes remain; stops at a
 * padding type (0x00 or 0xff). A chunk whose length runs past the end makes the packet
 * malformed: `RtmfpPacketError` (`chunk`). Unknown types are returned as they are.
 */
export function readChunks(body: Buffer, offset: number): RawChunk[] {
  const chunks: RawChunk[] = [];
  while (body.length - offset >= CHUNK_HEADER_SIZE) {
    const type = body[offset]!;
    if (isPaddingChunkType(type)) break;
    const length = body.readUInt16BE(offset + 1);
    const start = offset + CHUNK_HEADER_SIZE;
    if (start + length > body.length) {
      throw new RtmfpPacketError('chunk', `chunk 0x${type.toString(16)} of ${length} bytes runs past the packet end`);
    }
    chunks.push({ type, payload: body.subarray(start, start + length) });
    offset = start + length;
  }
  return chunks;
}
