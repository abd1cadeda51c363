import { open, type FileHandle } from 'node:fs/promises';
import { FLV_TAG_HEADER_SIZE, RtmpError, type RtmpMessage } from '@rtmpkit/core';
import { FlvTagType, isMediaTagType } from './constants.js';
import { FLV_HEADER_FLAGS_OFFSET, flvHeaderFlags } from './flv-header.js';
import { indexFlvFile } from './index-flv-file.js';
import type { FlvIndex } from './flv-index.js';
import { encodeFlvTag } from './flv-tag.js';
import { FlvWriter } from './flv-writer.js';
import { MediaTimeline } from './media-timeline.js';
import { isOnMetaData, locateMetadataNumbers } from './metadata.js';
import type { FlvParseOptions } from './reader-options.js';

/** Options for `FlvFileRecorder.open`. */
export interface FlvFileRecorderOptions extends FlvParseOptions {
  /**
   * `'write'` (default) creates the file, or empties an existing one. `'append'` continues an
   * existing FLV file: a damaged end (a tag cut by a crash) is cut off first, and timestamps go on
   * from where its media ends. A missing file is created either way. Parse options apply to
   * reading the existing file.
   */
  mode?: 'write' | 'append';
  /** Header audio flag of a new file. Default true; on close the flags are set to what was recorded. */
  hasAudio?: boolean;
  /** Header video flag of a new file. Default true; on close the flags are set to what was recorded. */
  hasVideo?: boolean;
  /** New file: start the file at timestamp 0 (see `FlvWriterOptions`). Default false. Appending always rebases. */
  rebaseTimestamps?: boolean;
  /**
   * Keep `onMetaData` sent after the file already has one (a publisher re-sending it, a session
   * appended to a file). Default false: only the first is kept, as players read only that one
   * and FFmpeg shows later ones as an extra data stream.
   */
  keepLaterMetadata?: boolean;
}

/** What happened to one `onMetaData` field on close. */
export type MetadataFieldUpdate =
  /** The number was overwritten in place with the recorded value. */
  | 'rewritten'
  /** The file has no AMF0 `onMetaData` tag, so nothing was changed. */
  | 'no-metadata'
  /** The metadata has no number under that name; adding one would change its size, so it was left alone. */
  | 'no-number-field';

/** What `FlvFileRecorder.close` did. */
export interface FlvRecordingSummary {
  path: string;
  /** File size after closing, in bytes. */
  fileSize: number;
  /** Tags written by this recorder (later `onMetaData` tags left out are not counted). */
  tagsWritten: number;
  /** Media duration of the whole file, in seconds (what `duration` was set to when it could be). */
  duration: number;
  /** True when an existing file was continued. */
  appended: boolean;
  /** Bytes of an incomplete last tag cut off before appending (0 for an intact file). */
  discardedBytes: number;
  /** `onMetaData.duration`. */
  durationField: MetadataFieldUpdate;
  /** `onMetaData.filesize`. */
  filesizeField: MetadataFieldUpdate;
}

interface Start {
  handle: FileHandle;
  position: number;
  writer: FlvWriter;
  timeline: MediaTimeline;
  flags: number;
  metadataOffset: number | undefined;
  appended: boolean;
  discardedBytes: number;
}

/**
 * Records `RtmpMessage`s into an FLV file (node:fs). Each tag goes to disk with one write, so a
 * process killed mid-recording leaves a file that is valid up to its last complete tag (read it
 * with `truncated: 'stop'`, or continue it with `mode: 'append'`). On `close()` the header flags
 * are set to the media recorded, and `duration` and `filesize` in `onMetaData` are rewritten in
 * place when the metadata already holds them as numbers (see `FlvRecordingSummary`).
 *
 * ```ts
 * const recorder = await FlvFileRecorder.open('live.flv', { rebaseTimestamps: true });
 * for await (const message of stream) await recorder.write(message);
 * const summary = await recorder.close();
 * ```
 */
export class FlvFileRecorder {
  private position: number;
  private tagsWritten = 0;
  private metadataOffset: number | undefined;
  private recorded = 0;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown;
  private closing: Promise<FlvRecordingSummary> | undefined;

  private constructor(
    readonly path: string,
    private readonly start: Start,
    private readonly keepLaterMetadata: boolean,
  ) {
    this.position = start.position;
    this.metadataOffset = start.metadataOffset;
  }

  /** Opens (or creates) `path` for recording; see `FlvFileRecorderOptions.mode`. */
  static async open(path: string, options: FlvFileRecorderOptions = {}): Promise<FlvFileRecorder> {
    const existing = options.mode === 'append' ? await indexForAppend(path, options) : undefined;
    const keep = options.keepLaterMetadata === true;
    if (existing !== undefined && existing.validLength > 0) return new FlvFileRecorder(path, await continueFile(path, existing), keep);
    return new FlvFileRecorder(path, await createFile(path, options), keep);
  }

  /** Bytes in the file so far (the offset the next tag is written at). */
  get size(): number {
    return this.position;
  }

  /**
   * Writes the tags for `message` (see `FlvWriter` for what becomes a tag). Calls may overlap:
   * writes happen in call order. After a failed disk write every later call rejects.
   */
  write(message: RtmpMessage): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new Error(`the FLV recorder for ${this.path} is closed`));
    let tags: RtmpMessage[];
    try {
      tags = this.start.writer.tags(message);
    } catch (error) {
      return Promise.reject(error); // a malformed aggregate: this message only
    }
    const run = this.queue.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      for (const tag of tags) await this.append(tag);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Waits for pending writes, fixes the header flags and the metadata numbers, and closes the
   * file. Calling it again returns the same result.
   */
  close(): Promise<FlvRecordingSummary> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async append(tag: RtmpMessage): Promise<void> {
    const isMetadata = tag.type === FlvTagType.ScriptData && isOnMetaData(tag.payload);
    if (isMetadata && this.metadataOffset !== undefined && !this.keepLaterMetadata) return;
    const bytes = encodeFlvTag(tag);
    try {
      await writeAll(this.start.handle, bytes, this.position);
    } catch (error) {
      this.failure = error;
      throw error;
    }
    if (isMetadata && this.metadataOffset === undefined) this.metadataOffset = this.position;
    this.position += bytes.length;
    this.tagsWritten++;
    this.start.timeline.add(tag.type, tag.timestamp);
    if (isMediaTagType(tag.type)) this.recorded |= flvHeaderFlags({ hasAudio: tag.type === FlvTagType.Audio, hasVideo: tag.type === FlvTagType.Video });
  }

  private async finish(): Promise<FlvRecordingSummary> {
    await this.queue;
    const { handle } = this.start;
    try {
      if (this.failure !== undefined) throw this.failure;
      const flags = this.start.appended ? this.start.flags | this.recorded : this.recorded || this.start.flags;
      if (flags !== this.start.flags) await writeAll(handle, Buffer.from([flags]), FLV_HEADER_FLAGS_OFFSET);
      const duration = this.start.timeline.duration;
      const fields = await this.patchMetadata({ duration, filesize: this.position });
      return {
        path: this.path,
        fileSize: this.position,
        tagsWritten: this.tagsWritten,
        duration,
        appended: this.start.appended,
        discardedBytes: this.start.discardedBytes,
        durationField: fields.duration,
        filesizeField: fields.filesize,
      };
    } finally {
      await handle.close();
    }
  }

  /** Overwrites the named numbers of the first onMetaData tag in place, where they exist. */
  private async patchMetadata(values: { duration: number; filesize: number }): Promise<{ duration: MetadataFieldUpdate; filesize: MetadataFieldUpdate }> {
    const none = { duration: 'no-metadata', filesize: 'no-metadata' } as const;
    if (this.metadataOffset === undefined) return none;
    const { handle } = this.start;
    const header = await readAt(handle, this.metadataOffset, FLV_TAG_HEADER_SIZE);
    const bodyStart = this.metadataOffset + FLV_TAG_HEADER_SIZE;
    const numbers = locateMetadataNumbers(await readAt(handle, bodyStart, header.readUIntBE(1, 3)));
    if (numbers === undefined) return none;
    const result = { duration: 'no-number-field', filesize: 'no-number-field' } as { duration: MetadataFieldUpdate; filesize: MetadataFieldUpdate };
    for (const name of ['duration', 'filesize'] as const) {
      const at = numbers.get(name);
      if (at === undefined) continue;
      const double = Buffer.alloc(8);
      double.writeDoubleBE(values[name]);
      await writeAll(handle, double, bodyStart + at);
      result[name] = 'rewritten';
    }
    return result;
  }
}

/** Indexes an existing file for appending; undefined when there is none (or it is too short to have a header). */
async function indexForAppend(path: string, options: FlvFileRecorderOptions): Promise<FlvIndex | undefined> {
  try {
    return await indexFlvFile(path, { maxTagSize: options.maxTagSize, tolerateBadBackPointers: options.tolerateBadBackPointers, truncated: 'stop' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (RtmpError.isInstance(error) && error.code === 'ERR_RTMP_TRUNCATED') return undefined;
    throw error;
  }
}

async function createFile(path: string, options: FlvFileRecorderOptions): Promise<Start> {
  const writer = new FlvWriter({ hasAudio: options.hasAudio, hasVideo: options.hasVideo, rebaseTimestamps: options.rebaseTimestamps });
  const header = writer.header();
  const handle = await open(path, 'w+'); // read back on close to patch the metadata
  try {
    await writeAll(handle, header, 0);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const flags = flvHeaderFlags({ hasAudio: options.hasAudio ?? true, hasVideo: options.hasVideo ?? true });
  return { handle, position: header.length, writer, timeline: new MediaTimeline(), flags, metadataOffset: undefined, appended: false, discardedBytes: 0 };
}

async function continueFile(path: string, index: FlvIndex): Promise<Start> {
  const handle = await open(path, 'r+');
  const discardedBytes = index.fileSize - index.validLength;
  try {
    if (discardedBytes > 0) await handle.truncate(index.validLength);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const hasMedia = index.hasAudio || index.hasVideo;
  const metadataTag = index.metadataTag?.type === FlvTagType.ScriptData ? index.metadataTag : undefined;
  return {
    handle,
    position: index.validLength,
    writer: new FlvWriter({ rebaseTimestamps: true, timestampOffset: hasMedia ? index.endTimestamp : 0 }),
    timeline: new MediaTimeline(hasMedia ? { first: index.firstTimestamp, end: index.endTimestamp } : undefined),
    flags: flvHeaderFlags(index.header),
    metadataOffset: metadataTag?.offset,
    appended: true,
    discardedBytes,
  };
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
