/**
 * Reads an FLV file (FLV spec v10.1, annex E) into its tags, with core's `readFlvTagHeader` for
 * each tag header: enough to turn a file into the RTMP messages a publisher would send.
 * Tag bodies are views into the file buffer.
 */
import { ByteReader, FLV_BACK_POINTER_SIZE, FLV_TAG_HEADER_SIZE, readFlvTagHeader } from '@rtmpkit/core';

export interface FlvTag {
  /** 8 audio, 9 video, 18 script data: the same numbers as the RTMP message types. */
  type: number;
  /** Milliseconds, 32-bit. */
  timestamp: number;
  body: Buffer;
}

export function readFlvTags(file: Buffer): FlvTag[] {
  if (file.length < 13 || file.toString('latin1', 0, 3) !== 'FLV') {
    throw new Error('not an FLV file (no "FLV" signature)');
  }
  const headerSize = file.readUInt32BE(5);
  const reader = new ByteReader(file, headerSize + FLV_BACK_POINTER_SIZE); // header, then PreviousTagSize0
  const tags: FlvTag[] = [];
  while (reader.remaining >= FLV_TAG_HEADER_SIZE) {
    const start = reader.offset;
    const header = readFlvTagHeader(reader);
    if (reader.remaining < header.dataSize + FLV_BACK_POINTER_SIZE) break; // a cut-off last tag
    const body = reader.bytes(header.dataSize);
    const previousTagSize = reader.u32();
    if (previousTagSize !== header.dataSize + FLV_TAG_HEADER_SIZE) {
      throw new Error(`FLV tag at ${start}: PreviousTagSize ${previousTagSize}, expected ${header.dataSize + FLV_TAG_HEADER_SIZE}`);
    }
    tags.push({ type: header.tagType, timestamp: header.timestamp, body });
  }
  return tags;
}
