import { StreamRejectedError, statusInfo, type AmfObject, type AmfValue, type NetStream } from '@rtmpkit/core';
import { isOnMetaData, readFlvFile, type FlvIndex, type FlvTag } from '@rtmpkit/flv';
import type { Logger } from 'pino';
import type { PlaybackHandle } from '../play/play-sources.js';
import { Pacer } from './pacer.js';
import { sendPlayComplete, sendPlayStatus } from './play-status.js';
import { cursorAfter, cursorAt, switchCursor, type VodCursor } from './vod-cursor.js';

/** One FLV file a play reads: the file and its index. */
export interface VodFile {
  /** The stream name the player used for it. */
  name: string;
  path: string;
  index: FlvIndex;
}

/** What a VOD play is made of. */
export interface VodPlaybackInit {
  stream: NetStream;
  file: VodFile;
  /** The play's start (ms); negative values start at 0. */
  start: number;
  /** The play's duration: -1 to the end, 0 a single frame, > 0 this many ms of file time after `start`. */
  duration: number;
  /** See `VodOptions.leadMs`. */
  leadMs: number;
  maxTagSize: number;
  /** Finds another file of the same application for `play2` (throws `StreamRejectedError` when there is none). */
  openRendition(name: string): Promise<VodFile>;
  log: Logger;
  /** The play ended (stopped by the server, or it failed): release it. */
  onStop(): void;
}

/** A bitrate switch waiting for its key frame. */
interface PendingSwitch {
  file: VodFile;
  cursor: VodCursor;
}

type Outcome = { kind: 'end' } | { kind: 'aborted' } | { kind: 'switch'; to: PendingSwitch };

const isMedia = (type: number): boolean => type === 8 || type === 9;

/**
 * One play of an FLV file: `onMetaData` with the duration, the sequence headers, then the tags
 * paced in real time (`leadMs` ahead), from the key frame at or before the start. Pause stops
 * sending; unpause goes on with the tags stamped after the pause position. Seek restarts at the
 * key frame at or before the target (after `NetStream.Seek.Notify` went out). `play2` with
 * `transition: 'switch'` changes to another file at its first key frame at or after the
 * position reached. At the end: StreamEOF, `onPlayStatus` `NetStream.Play.Complete`,
 * `NetStream.Play.Stop` (the play stays open, so a seek can restart it).
 */
export class VodPlayback implements PlaybackHandle {
  readonly recorded = true;
  private file: VodFile;
  private readonly pacer: Pacer;
  private readonly endTimestamp: number;
  private readonly singleFrame: boolean;
  private run: AbortController | undefined;
  private cursor: VodCursor;
  private paused = false;
  /** A seek came while paused: unpause starts at the seek's key frame. */
  private seekedWhilePaused = false;
  private completed = false;
  private stopped = false;
  private pending: PendingSwitch | undefined;
  /** The latest media timestamp sent, -1 before any. */
  private lastTimestamp = -1;
  private bytes = 0;

  constructor(private readonly init: VodPlaybackInit) {
    this.file = init.file;
    this.pacer = new Pacer(init.leadMs);
    const start = Math.max(0, init.start);
    this.endTimestamp = init.duration > 0 ? start + init.duration : Infinity;
    this.singleFrame = init.duration === 0;
    this.cursor = cursorAt(this.file.index, start, true);
  }

  /** Payload bytes sent so far. */
  get bytesSent(): number {
    return this.bytes;
  }

  /** The name of the file playing now (it changes with `play2`). */
  get name(): string {
    return this.file.name;
  }

  start(): void {
    this.begin(this.cursor);
  }

  async pause(paused: boolean, positionMs: number): Promise<void> {
    if (this.stopped) return;
    if (paused) {
      if (this.paused) return;
      this.paused = true;
      this.seekedWhilePaused = false;
      this.cursor = cursorAfter(this.file.index, positionMs > 0 ? positionMs : Math.max(0, this.lastTimestamp));
      this.abort();
      return;
    }
    if (!this.paused) return;
    this.paused = false;
    if (!this.seekedWhilePaused) {
      if (this.completed) return; // nothing is left to send
      if (positionMs > 0) this.cursor = cursorAfter(this.file.index, positionMs);
    }
    this.seekedWhilePaused = false;
    this.later(() => this.begin(this.cursor));
  }

  async seek(positionMs: number): Promise<void> {
    if (this.stopped) throw new StreamRejectedError('NetStream.Seek.Failed', 'The play has ended.');
    this.abort();
    this.completed = false;
    this.cursor = cursorAt(this.file.index, Math.max(0, positionMs), false);
    if (this.paused) {
      this.seekedWhilePaused = true;
      return;
    }
    // The session sends NetStream.Seek.Notify once this resolves: the media follows it.
    this.later(() => this.begin(this.cursor));
  }

  /**
   * `play2` (dynamic streaming). `transition` `switch` (or `swap`) changes to `streamName` at its
   * first key frame at or after the position reached, told with `onPlayStatus`
   * `NetStream.Play.TransitionComplete` when it happens. Other transitions are refused.
   */
  async play2(options: AmfObject): Promise<void> {
    if (this.stopped) throw new StreamRejectedError('NetStream.Play.Failed', 'The play has ended.');
    const transition = typeof options.transition === 'string' ? options.transition : 'switch';
    if (transition !== 'switch' && transition !== 'swap') {
      throw new StreamRejectedError('NetStream.Play.Failed', `play2 transition "${transition}" is not supported (switch and swap are).`);
    }
    const streamName = typeof options.streamName === 'string' ? options.streamName : '';
    const file = await this.init.openRendition(streamName);
    const position = this.lastTimestamp + 1;
    const cursor = switchCursor(file.index, position);
    if (!cursor) throw new StreamRejectedError('NetStream.Play.Failed', `${streamName} has no key frame after ${position} ms.`);
    this.pending = { file, cursor };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort();
    this.init.onStop();
  }

  // ---- sending ------------------------------------------------------------------------------

  /** Runs on the next turn, after the session sent the Notify status for the request in hand. */
  private later(run: () => void): void {
    setImmediate(() => {
      if (!this.stopped && !this.paused) run();
    });
  }

  private abort(): void {
    this.run?.abort();
    this.run = undefined;
  }

  /** Starts sending from `cursor` (replacing whatever was being sent). */
  private begin(cursor: VodCursor): void {
    this.abort();
    const run = new AbortController();
    this.run = run;
    this.completed = false;
    this.pacer.reset();
    void this.play(cursor, run.signal);
  }

  private async play(first: VodCursor, signal: AbortSignal): Promise<void> {
    try {
      let cursor = first;
      for (;;) {
        const outcome = await this.readFrom(cursor, signal);
        if (outcome.kind === 'aborted' || signal.aborted) return;
        if (outcome.kind === 'end') break;
        this.file = outcome.to.file;
        cursor = outcome.to.cursor;
        await sendPlayStatus(this.init.stream, 'NetStream.Play.TransitionComplete', { details: this.file.name }, cursor.timestamp);
      }
      this.completed = true;
      this.run = undefined;
      const durationSeconds = this.file.index.duration;
      await sendPlayComplete(this.init.stream, { name: this.file.name, durationSeconds, bytes: this.bytes, timestamp: Math.max(0, this.lastTimestamp) });
    } catch (error) {
      if (signal.aborted || this.stopped || this.init.stream.mode !== 'playing') return;
      this.fail(error);
    }
  }

  /** Sends one file from `cursor` until its end, the duration limit, an abort or a bitrate switch. */
  private async readFrom(cursor: VodCursor, signal: AbortSignal): Promise<Outcome> {
    const { stream } = this.init;
    const { index, path } = this.file;
    if (cursor.metadata) await stream.sendMetadata(this.metadata(), cursor.timestamp);
    if (cursor.headers) {
      for (const header of index.sequenceHeadersBefore(cursor.offset)) {
        if (signal.aborted) return { kind: 'aborted' };
        await this.send({ ...header, timestamp: cursor.timestamp });
      }
    }
    const headerOffsets = new Set(index.sequenceHeaders.map((tag) => tag.offset));
    for await (const tag of readFlvFile(path, { start: cursor.offset, truncated: 'stop', maxTagSize: this.init.maxTagSize })) {
      if (signal.aborted) return { kind: 'aborted' };
      if (!isMedia(tag.type) && isOnMetaData(tag.payload)) continue; // ours went first
      const header = headerOffsets.has(tag.offset);
      if (!header && cursor.skipThrough !== undefined && tag.timestamp <= cursor.skipThrough) continue;
      if (!header && tag.timestamp > this.endTimestamp) return { kind: 'end' };
      const pending = this.pending;
      if (pending && isMedia(tag.type) && tag.timestamp >= pending.cursor.timestamp) {
        this.pending = undefined;
        return { kind: 'switch', to: pending };
      }
      await this.pacer.wait(tag.timestamp, signal);
      if (signal.aborted) return { kind: 'aborted' };
      await this.send(tag);
      if (this.singleFrame && tag.type === 9 && !header) return { kind: 'end' };
    }
    return signal.aborted ? { kind: 'aborted' } : { kind: 'end' };
  }

  private async send(tag: Pick<FlvTag, 'type' | 'timestamp' | 'payload'>): Promise<void> {
    if (isMedia(tag.type)) this.lastTimestamp = Math.max(this.lastTimestamp, tag.timestamp);
    this.bytes += tag.payload.length;
    await this.init.stream.send({ type: tag.type, timestamp: tag.timestamp, payload: tag.payload });
  }

  /** The file's `onMetaData`, with `duration` (in seconds) when it lacks one. */
  private metadata(): Record<string, AmfValue> {
    const { index } = this.file;
    const metadata: Record<string, AmfValue> = { ...(index.metadata ?? {}) };
    if (typeof metadata.duration !== 'number' || !(metadata.duration > 0)) metadata.duration = index.duration;
    return metadata;
  }

  /** The file cannot be read any further: the player is told, the play ends. */
  private fail(error: unknown): void {
    const { stream, log } = this.init;
    log.warn({ err: error, file: this.file.path }, 'VOD play failed');
    const info = statusInfo('error', 'NetStream.Play.Failed', `${this.file.name} could not be read.`, { details: this.file.name });
    void stream.sendStatus(info).then(() => stream.close()).catch(() => {});
  }
}
