import type { ServerResponse } from 'node:http';
import { FlvWriter } from '@rtmpkit/flv';
import type { LiveMessage, MediaSink, SinkStats } from '../live/live-types.js';
import { PlayerQueue, type PlayerQueueOptions, type QueueEntry } from '../play/player-queue.js';

interface FlvEntry extends QueueEntry {
  readonly frame: LiveMessage;
}

/** What the owner of an HTTP-FLV sink is told. */
export interface HttpFlvSinkOptions {
  queue: PlayerQueueOptions;
  /** The FLV header's flags: what the stream carries (players such as mpegts.js wait for each flagged track). */
  hasAudio: boolean;
  hasVideo: boolean;
  /**
   * The play is over: `ended` (the publisher left or was replaced; the response was ended in
   * order), `slow` (past a hard queue limit; the owner destroys the response), `closed` (the
   * server closes). Called once.
   */
  onEnd(reason: 'ended' | 'slow' | 'closed', detail: string): void;
  /** Now, in ms (injectable for tests). */
  now?: () => number;
}

/**
 * One HTTP-FLV response as a live sink: the FLV header, then one tag per message, timestamps
 * rebased so the response starts at 0 on its first frame. Tags are written while the socket keeps up and wait in a
 * `PlayerQueue` (bounded; non-key video dropped when behind; disconnect past the hard limits)
 * while it is backed up — the same policy as RTMP players. The response ends when the publisher
 * leaves or is replaced (a new publisher brings new sequence headers and timestamps: the
 * client reconnects, as with other HTTP-FLV servers).
 */
export class HttpFlvSink implements MediaSink {
  readonly kind = 'http-flv';
  private readonly queue: PlayerQueue<FlvEntry>;
  private readonly writer = new FlvWriter();
  /** The first frame's timestamp (not a header's): the response's 0. */
  private base: number | undefined;
  private readonly now: () => number;
  private headerSent = false;
  private waiting = false;
  private done = false;
  private bytesOut = 0;
  private messagesOut = 0;

  constructor(
    private readonly response: ServerResponse,
    private readonly options: HttpFlvSinkOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.queue = new PlayerQueue<FlvEntry>(options.queue, this.now());
  }

  /** True once the play is over (the response ended or is to be destroyed). */
  get ended(): boolean {
    return this.done;
  }

  /** Sends the FLV header if no tag went out yet (so the client sees the response start). */
  start(): void {
    if (!this.done && !this.headerSent && !this.waiting) this.push(Buffer.alloc(0));
  }

  write(message: LiveMessage): void {
    if (this.done) return;
    const kind = message.type === 9 ? 'video' : message.type === 8 ? 'audio' : 'other';
    const result = this.queue.offer({ bytes: message.payload.length, kind, keyframe: message.keyframe, keep: message.header, frame: message }, this.now());
    if (result === 'disconnect') {
      this.finish('slow', `the client is too slow (${this.queue.bytes} bytes waiting)`);
      return;
    }
    if (result === 'queued') this.pump();
  }

  published(): void {
    this.finish('ended', 'a new publisher took over the stream');
  }

  unpublished(): void {
    this.finish('ended', 'the publisher left');
  }

  close(reason: string): void {
    this.finish('closed', reason);
  }

  stats(): SinkStats {
    return {
      bytesOut: this.bytesOut,
      messagesOut: this.messagesOut,
      dropped: this.queue.dropped,
      queuedBytes: this.queue.bytes,
      peakQueuedBytes: this.queue.peakBytes,
    };
  }

  /** The client went away: stop without touching the response. */
  detach(): void {
    this.done = true;
    this.queue.clear();
  }

  private finish(reason: 'ended' | 'slow' | 'closed', detail: string): void {
    if (this.done) return;
    const backedUp = this.waiting || this.queue.length > 0;
    this.detach();
    // An orderly end waits behind what is queued; a client that does not read is cut instead.
    if (reason !== 'slow') {
      if (backedUp) this.response.destroy();
      else this.response.end();
    }
    this.options.onEnd(reason, detail);
  }

  private pump(): void {
    while (!this.waiting && !this.done) {
      const entry = this.queue.shift();
      if (!entry) return;
      const { frame } = entry;
      const tags = this.writer.write({ type: frame.type, timestamp: this.rebase(frame), streamId: 0, payload: frame.payload });
      if (tags.length === 0) continue;
      this.bytesOut += frame.payload.length;
      this.messagesOut++;
      if (!this.push(tags)) {
        this.waiting = true;
        this.response.once('drain', () => {
          this.waiting = false;
          this.queue.progress(this.now());
          this.pump();
        });
        return;
      }
      this.queue.progress(this.now());
    }
  }

  /**
   * Response timestamps: the first audio or video frame that is not a header (the cached GOP's
   * keyframe, for a player that joins mid-stream) is at 0; headers and metadata before it, and
   * anything older than it, at 0 too.
   */
  private rebase(frame: LiveMessage): number {
    if (this.base === undefined) {
      if (frame.header || (frame.type !== 8 && frame.type !== 9)) return 0;
      this.base = frame.timestamp;
    }
    return Math.max(0, frame.timestamp - this.base);
  }

  /** Writes bytes (after the FLV header the first time); false when the socket asks to wait. */
  private push(bytes: Buffer): boolean {
    if (!this.headerSent) {
      this.headerSent = true;
      const header = new FlvWriter({ hasAudio: this.options.hasAudio, hasVideo: this.options.hasVideo }).header();
      return this.response.write(bytes.length > 0 ? Buffer.concat([header, bytes]) : header);
    }
    return this.response.write(bytes);
  }
}
