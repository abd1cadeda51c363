import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RtmpMessage } from '@rtmpkit/core';
import { FlvFileRecorder, type FlvRecordingSummary } from '@rtmpkit/flv';
import type { Subscription } from '../live/live-hub.js';
import type { LiveMessage, MediaSink, SinkStats } from '../live/live-types.js';

/** How a recorder sink is set up. */
export interface RecorderSinkOptions {
  path: string;
  /** `write`: a new file (replacing one); `append`: continue the file. */
  mode: 'write' | 'append';
  /** See `RecorderOptions.maxPendingBytes`. */
  maxPendingBytes: number;
  /** The file is open (recording has started). */
  onStart?(): void;
  /** The recording ended: the file's summary, or the error that stopped it (then the file holds what was written). */
  onEnd(outcome: { summary?: FlvRecordingSummary; error?: unknown; reason: string }): void;
}

/**
 * A live stream into an FLV file, one publication long: every message goes to an
 * `FlvFileRecorder` (one write per tag, so the file is valid up to its last complete tag at any
 * moment). Messages that arrive while the file opens wait in memory; past `maxPendingBytes`
 * waiting (a slow disk), frames are left out until the next key frame. The recording ends when
 * the publisher leaves, another takes over, or the hub closes the sink (shutdown): pending writes
 * are flushed and the file closed (duration and header flags patched).
 */
export class RecorderSink implements MediaSink {
  readonly kind = 'recorder';
  readonly startedAt = Date.now();
  /** Set by the owner once subscribed: the sink unsubscribes itself when it ends. */
  subscription: Subscription | undefined;
  private recorder: FlvFileRecorder | undefined;
  private waiting: RtmpMessage[] = [];
  private opening: Promise<void> | undefined;
  private ending: Promise<void> | undefined;
  private failure: unknown;
  private pendingBytes = 0;
  private peakBytes = 0;
  private writtenBytes = 0;
  private messages = 0;
  private droppedFrames = 0;
  private needKeyframe = false;
  private resolveFinished!: () => void;
  /** Resolves once the recording ended and the file is closed. */
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  constructor(private readonly options: RecorderSinkOptions) {}

  get path(): string {
    return this.options.path;
  }

  /** Opens the file (after `after` settled: the previous recording of the same file). */
  start(after: Promise<unknown> = Promise.resolve()): void {
    this.opening ??= (async () => {
      try {
        await after.catch(() => {});
        if (this.ending) return;
        await mkdir(dirname(this.options.path), { recursive: true });
        const recorder = await FlvFileRecorder.open(this.options.path, { mode: this.options.mode, rebaseTimestamps: true });
        this.recorder = recorder;
        const waiting = this.waiting;
        this.waiting = [];
        for (const message of waiting) this.writeNow(recorder, message);
        this.options.onStart?.();
      } catch (error) {
        this.failure ??= error;
        void this.end(error instanceof Error ? error.message : 'the file could not be opened');
      }
    })();
  }

  write(message: LiveMessage): void {
    if (this.ending || this.failure !== undefined) return;
    if (!message.header && !this.admit(message)) {
      this.droppedFrames++;
      return;
    }
    const copy: RtmpMessage = { type: message.type, timestamp: message.timestamp, streamId: 0, payload: message.payload };
    this.pendingBytes += message.payload.length;
    this.peakBytes = Math.max(this.peakBytes, this.pendingBytes);
    if (this.recorder) this.writeNow(this.recorder, copy);
    else this.waiting.push(copy);
  }

  /** Another publisher took over: this recording ends (the new publish gets its own). */
  published(): void {
    void this.end('takeover');
  }

  unpublished(): void {
    void this.end('unpublished');
  }

  close(reason: string): Promise<void> {
    return this.end(reason);
  }

  stats(): SinkStats {
    return { bytesOut: this.writtenBytes, messagesOut: this.messages, dropped: this.droppedFrames, queuedBytes: this.pendingBytes, peakQueuedBytes: this.peakBytes };
  }

  /**
   * Ends the recording (once): no more messages are taken, what is pending is written, and the
   * file is closed. Resolves when it is.
   */
  end(reason: string): Promise<void> {
    this.ending ??= (async () => {
      this.subscription?.unsubscribe();
      await this.opening;
      this.waiting = [];
      let summary: FlvRecordingSummary | undefined;
      let error = this.failure;
      if (this.recorder) {
        try {
          summary = await this.recorder.close();
        } catch (closeError) {
          error ??= closeError;
        }
      }
      const why = error === undefined ? reason : error instanceof Error ? error.message : String(error);
      try {
        this.options.onEnd({ ...(summary ? { summary } : {}), ...(error !== undefined ? { error } : {}), reason: why });
      } finally {
        this.resolveFinished();
      }
    })();
    return this.ending;
  }

  /** False when a frame must be left out: too much is waiting for the disk, or video waits for a key frame. */
  private admit(message: LiveMessage): boolean {
    if (this.pendingBytes + message.payload.length > this.options.maxPendingBytes) {
      if (message.type === 9) this.needKeyframe = true;
      return false;
    }
    if (message.type !== 9 || !this.needKeyframe) return true;
    if (!message.keyframe) return false;
    this.needKeyframe = false;
    return true;
  }

  private writeNow(recorder: FlvFileRecorder, message: RtmpMessage): void {
    const bytes = message.payload.length;
    recorder.write(message).then(
      () => {
        this.pendingBytes -= bytes;
        this.writtenBytes += bytes;
        this.messages++;
      },
      (error: unknown) => {
        this.pendingBytes -= bytes;
        this.failure ??= error;
        void this.end('disk error');
      },
    );
  }
}
