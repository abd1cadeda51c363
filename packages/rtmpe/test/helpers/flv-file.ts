import { readFileSync } from 'node:fs';
import { ByteReader, FLV_BACK_POINTER_SIZE, readFlvTagHeader } from '@rtmpkit/core';

/** One tag of an FLV file: its type (8 audio, 9 video, 18 data), timestamp and body. */
export interface FileTag {
  type: 8 | 9 | 18;
  timestamp: number;
  payload: Buffer;
}

/**
 * The audio, video and script tags of an FLV file, read with core's `readFlvTagHeader`; stops at
 * a tag cut short (what a killed recorder leaves). An empty list when the file is not FLV.
 */
export function readFlvFileTags(path: string): FileTag[] {
  const file = readFileSync(path);
  if (file.length < 13 || file.toString('latin1', 0, 3) !== 'FLV') return [];
  const reader = new ByteReader(file, file.readUInt32BE(5) + FLV_BACK_POINTER_SIZE);
  const tags: FileTag[] = [];
  while (reader.remaining >= 11) {
    const header = readFlvTagHeader(reader);
    if (reader.remaining < header.dataSize) break;
    const payload = reader.bytes(header.dataSize);
    if (reader.remaining >= FLV_BACK_POINTER_SIZE) reader.offset += FLV_BACK_POINTER_SIZE;
    else reader.offset = reader.end;
    if (header.tagType === 8 || header.tagType === 9 || header.tagType === 18) tags.push({ type: header.tagType, timestamp: header.timestamp, payload });
  }
  return tags;
}
