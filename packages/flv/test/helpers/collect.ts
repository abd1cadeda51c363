import { FlvReader, readFlvFile, type FlvReaderOptions, type FlvTag, type ReadFlvFileOptions } from '../../src/index.js';

/** Pushes `parts` one by one into a fresh reader and returns the tags (payloads copied) and the reader. */
export function readParts(parts: readonly Uint8Array[], options?: FlvReaderOptions): { tags: FlvTag[]; reader: FlvReader } {
  const reader = new FlvReader(options);
  const tags: FlvTag[] = [];
  for (const part of parts) reader.push(part, (tag) => tags.push({ ...tag, payload: Buffer.from(tag.payload) }));
  return { tags, reader };
}

/** Every tag of a file, through `readFlvFile`. */
export async function readAll(path: string, options?: ReadFlvFileOptions): Promise<FlvTag[]> {
  const tags: FlvTag[] = [];
  for await (const tag of readFlvFile(path, options)) tags.push(tag);
  return tags;
}
