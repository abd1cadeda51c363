import { readFileSync } from 'node:fs';

/** One FLV tag: type 8/9/18, timestamp, body. */
export interface FlvTag {
  type: number;
  timestamp: number;
  payload: Buffer;
}

/** Reads the tags of an FLV file (a dump cut off mid-tag keeps the complete ones). */
export function readFlvTags(path: string): FlvTag[] {
  const file = readFileSync(path);
  if (file.length < 13 || file.toString('latin1', 0, 3) !== 'FLV') throw new Error(`${path} is not an FLV file`);
  const tags: FlvTag[] = [];
  let offset = file.readUInt32BE(5) + 4;
  while (offset + 11 <= file.length) {
    const size = file.readUIntBE(offset + 1, 3);
    const end = offset + 11 + size;
    if (end > file.length) break;
    const timestamp = (file.readUIntBE(offset + 4, 3) | (file[offset + 7]! << 24)) >>> 0;
    tags.push({ type: file[offset]! & 0x1f, timestamp, payload: file.subarray(offset + 11, end) });
    offset = end + 4;
  }
  return tags;
}
