import { statusInfo, type NetStream, type StatusInfo } from '@rtmpkit/core';
import type { LiveMessage, MediaSink, PublishedEvent, SinkStats } from '../live/live-types.js';
import { PLAYER_QUEUE_DEFAULTS, PlayerQueue, type PlayerQueueOptions, type QueueEntry } from './player-queue.js';

/** One thing waiting to go to the player: a frame, or a status / user control at its place in line. */
interface PlayerEntry extends QueueEntry {
  readonly frame?: LiveMessage;
  readonly control?: () => Promise<void>;
}

/** How the sink reports a player that must go. */
export interface RtmpPlayerSinkOptions {
  queue?: PlayerQueueOptions;
  /** The player is past a hard limit: the owner disconnects it. Called once. */
  onDisconnect(reason: string): void;
  /** Now, in ms (injectable for tests). */
  now?: () => number;
}

/** The session's User Control sender, when the session exposes one (the core RTMP sessions do). */
type UserControlSender = (event: { kind: 'StreamBegin' | 'StreamEof'; streamId: number }) => boolean;

function userControlOf(stream: NetStream): UserControlSender | undefined {
  const session = stream.session as unknown as { sendUserControl?: UserControlSender };
  return typeof session.sendUserControl === 'function' ? session.sendUserControl.bind(session) : undefined;
}

const ignore = (): void => {};

/**
 * A live stream's RTMP player: writes frames with `NetStream.send(message, { shared })` while the
 * connection keeps up, and queues them in a `PlayerQueue` (bounded, dropping non-key frames when
 * behind) while it is backed up. Status messages (PublishNotify, UnpublishNotify) go through the
 * same queue so they stay in order with the media. Timestamps stay monotonic for a player that
 * outlives a publisher: after a new publisher starts, its timestamps are shifted to continue from
 * the last one sent (such a player writes its own encoding, as its bytes differ from the others').
 */
export class RtmpPlayerSink implements MediaSink {
  readonly kind = 'rtmp';
  private readonly queue: PlayerQueue<PlayerEntry>;
  private readonly now: () => number;
  private readonly userControl: UserControlSender | undefined;
  private readonly coalesceMs: number;
  private waiting = false;
  private closed = false;
  private bytesOut = 0;
  private messagesOut = 0;
  private lastTimestamp = -1;
  private offset = 0;
  private rebase = false;
  private started = false;

  constructor(
    private readonly stream: NetStream,
    private readonly options: RtmpPlayerSinkOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.queue = new PlayerQueue<PlayerEntry>(options.queue, this.now());
    this.coalesceMs = options.queue?.coalesceMs ?? PLAYER_QUEUE_DEFAULTS.coalesceMs;
    this.userControl = userControlOf(stream);
  }

  write(message: LiveMessage): void {
    if (this.closed) return;
    const kind = message.type === 9 ? 'video' : message.type === 8 ? 'audio' : 'other';
    if (this.stream.paused && !message.header) {
      // Paused: nothing but headers; playback resumes on a keyframe after unpause.
      if (kind === 'video') this.queue.resync();
      return;
    }
    if (!this.waiting && this.queue.length === 0) {
      // The usual case: the connection keeps up. Straight out, no queue entry, no clock.
      if (this.queue.passDirect(kind, message.keyframe, message.header)) this.sendDirect(message);
      return;
    }
    this.offer({ bytes: message.payload.length, kind, keyframe: message.keyframe, keep: message.header, frame: message });
  }

  published(event: PublishedEvent): void {
    if (this.closed) return;
    if (this.lastTimestamp >= 0) this.rebase = true;
    this.queue.resync();
    const streamId = this.stream.id;
    this.control(() => {
      this.userControl?.({ kind: 'StreamBegin', streamId });
      return this.stream.sendStatus(statusInfo('status', 'NetStream.Play.PublishNotify', `${event.name} is now published.`, { details: event.name }));
    });
  }

  unpublished(): void {
    if (this.closed) return;
    const name = this.stream.name ?? '';
    const streamId = this.stream.id;
    this.control(() => {
      const sent = this.stream.sendStatus(statusInfo('status', 'NetStream.Play.UnpublishNotify', `${name} is now unpublished.`, { details: name }));
      this.userControl?.({ kind: 'StreamEof', streamId });
      return sent;
    });
  }

  /** Ends the play (StreamEOF + `NetStream.Play.Stop` when the stream is still open). */
  async close(_reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.clear();
    await this.stream.close().catch(ignore);
  }

  /** Sends an `onStatus` in line with the media (used by the server, e.g. on shutdown). */
  sendStatus(info: StatusInfo): void {
    this.control(() => this.stream.sendStatus(info));
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

  /** The sink stops without touching the stream (the play already ended). */
  detach(): void {
    this.closed = true;
    this.queue.clear();
  }

  private control(run: () => Promise<void>): void {
    this.offer({ bytes: 0, kind: 'other', keyframe: false, keep: true, control: run });
  }

  private offer(entry: PlayerEntry): void {
    const result = this.queue.offer(entry, this.now());
    if (result === 'disconnect') {
      this.disconnect();
      return;
    }
    if (result === 'queued') this.pump();
  }

  private disconnect(): void {
    if (this.closed) return;
    const { bytes } = this.queue;
    this.detach();
    this.options.onDisconnect(`the player is too slow (${bytes} bytes waiting)`);
  }

  /** Sends a frame that did not need the queue; if the connection now asks to wait, the queue takes over until it drains. */
  private sendDirect(frame: LiveMessage): void {
    let sent: Promise<void>;
    try {
      sent = this.send(frame);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.stream.session.writableNeedDrain) {
      this.waitFor(sent);
    } else {
      sent.catch(this.failed);
    }
  }

  private readonly failed = (error: unknown): void => this.fail(error);

  /** Waits for `sent` (the drain), then sends what queued meanwhile. */
  private waitFor(sent: Promise<void>): void {
    this.waiting = true;
    sent.then(
      () => {
        this.waiting = false;
        this.queue.progress(this.now());
        this.pump();
      },
      (error: unknown) => this.fail(error),
    );
  }

  /** Sends what is queued until the connection asks to wait, then resumes on its drain. */
  private pump(): void {
    while (!this.waiting && !this.closed) {
      const entry = this.queue.shift();
      if (!entry) return;
      let sent: Promise<void>;
      try {
        sent = entry.control ? entry.control() : this.send(entry.frame!);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (this.stream.session.writableNeedDrain) {
        this.waitFor(sent);
        return;
      }
      sent.catch((error: unknown) => this.fail(error));
      this.queue.progress(this.now());
    }
  }

  private send(frame: LiveMessage): Promise<void> {
    if (this.rebase && (frame.type === 8 || frame.type === 9 || frame.header)) {
      this.rebase = false;
      this.offset = this.lastTimestamp - frame.timestamp;
    }
    const timestamp = Math.max(0, frame.timestamp + this.offset);
    if (frame.type === 8 || frame.type === 9) this.lastTimestamp = Math.max(this.lastTimestamp, timestamp);
    this.bytesOut += frame.payload.length;
    this.messagesOut++;
    const message = { type: frame.type, timestamp, payload: frame.payload };
    // Until the first frame is out the player is starting: nothing waits (fast start).
    const coalesceMs = this.started ? this.coalesceFor(this.stream.peerBufferLength) : 0;
    if (!frame.header && (frame.type === 8 || frame.type === 9)) this.started = true;
    return this.offset === 0 ? this.stream.send(message, { shared: frame.shared, coalesceMs }) : this.stream.send(message, { coalesceMs });
  }

  /**
   * How long this player's media may wait: `coalesceMs`, but at most a quarter of the buffer the
   * player declared (SetBufferLength), so a low-latency player (Flash's live default is 100 ms)
   * never runs dry between two writes.
   */
  private coalesceFor(bufferLength: number | undefined): number {
    return bufferLength === undefined ? this.coalesceMs : Math.min(this.coalesceMs, Math.floor(bufferLength / 4));
  }

  /** The stream or session went away under us: stop quietly (the play's end is handled elsewhere). */
  private fail(_error: unknown): void {
    this.detach();
  }
}
