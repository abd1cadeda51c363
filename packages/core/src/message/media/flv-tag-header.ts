import type { ByteReader, ByteWriter } from '../../bytes/index.js';
import { assertIntegerInRange, assertUint32 } from '../encode-checks.js';

/** Bytes in an FLV tag header, and in each inner header of an aggregate message. */
export const FLV_TAG_HEADER_SIZE = 11;
/** Bytes in the PreviousTagSize back pointer that follows every FLV tag body. */
export const FLV_BACK_POINTER_SIZE = 4;

/**
 * An FLV tag header (FLV spec v10.1 E.4.1): `reserved(2) filter(1) TagType(5)` · DataSize UI24 ·
 * Timestamp UI24 (low bits) · TimestampExtended UI8 (top bits) · StreamID UI24.
 */
export interface FlvTagHeader {
  /** TagType: 8 audio, 9 video, 18 script data (15 AMF3 script data in Enhanced FLV). */
  tagType: number;
  /** The filter bit: the body is encrypted (FLV 10.1). */
  filter: boolean;
  /** Body size in bytes (UI24). */
  dataSize: number;
  /** Full 32-bit timestamp in ms, assembled from the low 24 bits and the extension byte. */
  timestamp: number;
  /** StreamID, UI24; always 0 in files. In aggregates the outer message's stream id wins. */
  streamId: number;
}

/** Reads an 11-byte FLV tag header. Throws `TruncatedInputError` when fewer bytes are left. */
export function readFlvTagHeader(reader: ByteReader): FlvTagHeader {
  reader.need(FLV_TAG_HEADER_SIZE);
  const first = reader.u8();
  const dataSize = reader.u24();
  const low = reader.u24();
  const high = reader.u8();
  const streamId = reader.u24();
  return {
    tagType: first & 0x1f,
    filter: (first & 0x20) !== 0,
    dataSize,
    // The extension byte holds bits 31..24, so the 24 bits read first are the low part.
    timestamp: ((high << 24) | low) >>> 0,
    streamId,
  };
}

/** Writes an 11-byte FLV tag header (reserved bits 0). */
export function writeFlvTagHeader(writer: ByteWriter, header: FlvTagHeader): void {
  assertIntegerInRange('tagType', header.tagType, 0, 0x1f);
  assertIntegerInRange('dataSize', header.dataSize, 0, 0xffffff);
  assertUint32('timestamp', header.timestamp);
  assertIntegerInRange('streamId', header.streamId, 0, 0xffffff);
  writer.u8((header.filter ? 0x20 : 0) | header.tagType);
  writer.u24(header.dataSize);
  writer.u24(header.timestamp & 0xffffff);
  writer.u8(header.timestamp >>> 24);
  writer.u24(header.streamId);
}
