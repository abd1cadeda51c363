import { readFileSync } from 'node:fs';

export interface FlvTag {
  type: number;
  timestamp: number;
  payload: Buffer;
}

/** The tags of an FLV file (header, then tag + previous-tag-size pairs); stops at a truncated tag. */
export function readFlvTags(path: string): FlvTag[] {
  const file = readFileSync(path);
  if (file.length < 13 || file.toString('latin1', 0, 3) !== 'FLV') return [];
  const tags: FlvTag[] = [];
  let at = file.readUInt32BE(5) + 4;
  while (at + 11 <= file.length) {
    const size = file.readUIntBE(at + 1, 3);
    if (at + 11 + size > file.length) break;
    const timestamp = (file.readUIntBE(at + 4, 3) | (file[at + 7]! << 24)) >>> 0;
    tags.push({ type: file[at]! & 0x1f, timestamp, payload: file.subarray(at + 11, at + 11 + size) });
    at += 11 + size + 4;
  }
  return tags;
}
