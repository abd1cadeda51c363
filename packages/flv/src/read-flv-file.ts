import { createReadStream } from 'node:fs';
import type { FlvHeader } from './flv-header.js';
import { FlvReader, type FlvReaderOptions } from './flv-reader.js';
import type { FlvTag } from './flv-tag.js';
import type { FlvTruncation, TruncatedFileMode } from './reader-options.js';

/** Options for `readFlvFile`. */
export interface ReadFlvFileOptions extends FlvReaderOptions {
  /**
   * When the file ends inside a tag (or its header): `'error'` (default) throws
   * `TruncatedInputError` after the last complete tag; `'stop'` ends the iteration cleanly there,
   * which plays a recording cut short by a crash up to its last complete tag.
   */
  truncated?: TruncatedFileMode;
  /** With `truncated: 'stop'`, told where the file was cut. */
  onTruncated?: (truncation: FlvTruncation) => void;
  /** Told the file header as soon as it has been read (not called when reading from `start`). */
  onHeader?: (header: FlvHeader) => void;
  /** Bytes per read from disk. Default 64 KiB. */
  highWaterMark?: number;
}

/**
 * Streams the tags of an FLV file from disk (node:fs read streams, never the whole file in
 * memory), as an async iterable of `FlvTag`s. Stopping the iteration early closes the file.
 * Format errors throw as in `FlvReader`; a truncated end follows `options.truncated`.
 *
 * ```ts
 * for await (const tag of readFlvFile('talk.flv', { truncated: 'stop' })) await session.send(tag);
 * ```
 */
export async function* readFlvFile(path: string, options: ReadFlvFileOptions = {}): AsyncGenerator<FlvTag, void, undefined> {
  const reader = new FlvReader(options);
  const stream = createReadStream(path, { start: options.start ?? 0, highWaterMark: options.highWaterMark ?? 64 * 1024 });
  let headerSeen = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const ready: FlvTag[] = [];
      reader.push(chunk, (tag) => ready.push(tag));
      if (!headerSeen && reader.header !== undefined) {
        headerSeen = true;
        options.onHeader?.(reader.header);
      }
      yield* ready;
    }
  } finally {
    stream.destroy();
  }
  const truncation = reader.truncation;
  if (truncation === undefined) return;
  if (options.truncated === 'stop') options.onTruncated?.(truncation);
  else reader.end();
}
