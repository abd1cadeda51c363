import { decodeData, type AmfValue, type RtmpMessage } from '@rtmpkit/core';
import { readFlvFile } from '@rtmpkit/flv';

/** One FLV tag: what an RTMP audio (8), video (9) or data (18) message carries. */
export interface FlvTag {
  type: number;
  timestamp: number;
  payload: Buffer;
}

/** Every tag of an FLV file, in file order (read with `@rtmpkit/flv`). */
export async function readFlvTags(path: string): Promise<FlvTag[]> {
  const tags: FlvTag[] = [];
  for await (const tag of readFlvFile(path)) tags.push({ type: tag.type, timestamp: tag.timestamp, payload: Buffer.from(tag.payload) });
  return tags;
}

/** The `onMetaData` object of a data tag or message (its ECMA array), or undefined. */
export function metadataOf(tag: Pick<RtmpMessage, 'type' | 'payload'>): Record<string, AmfValue> | undefined {
  if (tag.type !== 18 && tag.type !== 15) return undefined;
  const data = decodeData({ type: tag.type, payload: tag.payload, streamId: 0, timestamp: 0 });
  const [first] = data.values;
  if (data.name !== 'onMetaData' || typeof first !== 'object' || first === null || Array.isArray(first)) return undefined;
  return first as Record<string, AmfValue>;
}
