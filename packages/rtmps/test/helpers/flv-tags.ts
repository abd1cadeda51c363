import { readFile } from 'node:fs/promises';
import { ByteReader, decodeData, FLV_BACK_POINTER_SIZE, readFlvTagHeader, type AmfValue, type RtmpMessage } from '@rtmpkit/core';

/** One FLV tag: what an RTMP audio (8), video (9) or data (18) message carries. */
export interface FlvTag {
  type: number;
  timestamp: number;
  payload: Buffer;
}

/** Every tag of an FLV file, in file order, read with core's `readFlvTagHeader`. */
export async function readFlvTags(path: string): Promise<FlvTag[]> {
  const file = await readFile(path);
  if (file.toString('latin1', 0, 3) !== 'FLV') throw new Error(`${path} is not an FLV file`);
  const reader = new ByteReader(file, file.readUInt32BE(5) + FLV_BACK_POINTER_SIZE);
  const tags: FlvTag[] = [];
  while (reader.remaining > 0) {
    const header = readFlvTagHeader(reader);
    tags.push({ type: header.tagType, timestamp: header.timestamp, payload: reader.bytes(header.dataSize) });
    reader.offset += FLV_BACK_POINTER_SIZE;
  }
  return tags;
}

/** The `onMetaData` object of a data tag or message (with or without `@setDataFrame`), or undefined. */
export function metadataOf(tag: Pick<RtmpMessage, 'type' | 'payload'>): Record<string, AmfValue> | undefined {
  if (tag.type !== 18 && tag.type !== 15) return undefined;
  const data = decodeData({ type: tag.type, payload: tag.payload, streamId: 0, timestamp: 0 });
  const values = data.name === '@setDataFrame' ? data.values.slice(1) : data.values;
  const name = data.name === '@setDataFrame' ? data.values[0] : data.name;
  const [first] = values;
  if (name !== 'onMetaData' || typeof first !== 'object' || first === null || Array.isArray(first)) return undefined;
  return first as Record<string, AmfValue>;
}
