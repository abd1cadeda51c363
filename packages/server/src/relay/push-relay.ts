import { addSetDataFrame, decodeData, encodeData, type ConnectOptions, type NetStream, type Session, type Transport } from '@rtmpkit/core';
import type { Logger } from 'pino';
import type { Subscription } from '../live/live-hub.js';
import type { LiveMessage, MediaSink, SinkStats } from '../live/live-types.js';
import type { BackoffOptions } from './backoff.js';
import { reconnectLoop } from './reconnect-loop.js';

/** What a push relay is made of. */
export interface PushRelayInit {
  app: string;
  name: string;
  /** The target application URL and the stream name there. */
  url: string;
  streamName: string;
  transport: Transport;
  connect: ConnectOptions;
  backoff: Required<BackoffOptions>;
  log: Logger;
  /** The relay stopped (the stream ended, the server closes, or it gave up). */
  onEnd(reason: string): void;
}

/** Where a relay is. */
export type RelayState = 'connecting' | 'relaying' | 'waiting' | 'stopped';

/** Headers kept to start the target again after a reconnection: the last of each kind. */
function headerSlot(message: LiveMessage): string {
  return message.type === 9 || message.type === 8 ? `${message.type}:${message.payload[0] ?? 0}:${message.payload[1] ?? 0}` : String(message.type);
}
const MAX_HEADERS = 32;

/** `onMetaData` as a publisher sends it: wrapped in `@setDataFrame` (what nginx, SRS, FMS expect). */
function asPublished(message: LiveMessage): Pick<LiveMessage, 'type' | 'timestamp' | 'payload'> {
  if (message.type !== 18 || !message.header) return message;
  try {
    const data = addSetDataFrame(decodeData({ ...message, streamId: 0 }));
    return { type: 18, timestamp: message.timestamp, payload: encodeData(data, { streamId: 0, amf3: false }).payload };
  } catch {
    return message;
  }
}

/**
 * Pushes one publication of a live stream to another RTMP server: a sink that our client
 * publishes from (`live` type). It connects when the publication starts, replays the metadata and
 * sequence headers on every (re)connection and starts video on a key frame; while the target is
 * away or backed up, media is left out (nothing piles up in memory). It reconnects with backoff
 * when the target drops, and stops (unpublishing there) when the publisher leaves here.
 */
export class PushRelay implements MediaSink {
  readonly kind = 'relay';
  /** Set by the owner once subscribed: the relay unsubscribes itself when it stops. */
  subscription: Subscription | undefined;
  private readonly abort = new AbortController();
  private readonly headers = new Map<string, LiveMessage>();
  private target: NetStream | undefined;
  private session: Session | undefined;
  private current: RelayState = 'connecting';
  private needKeyframe = true;
  private hasVideo = false;
  private stopped = false;
  private bytesOut = 0;
  private messagesOut = 0;
  private dropped = 0;
  /** Connections made to the target so far. */
  connections = 0;

  constructor(private readonly init: PushRelayInit) {}

  get state(): RelayState {
    return this.current;
  }

  /** Starts connecting (in the background). */
  start(): void {
    const { init } = this;
    void reconnectLoop({
      signal: this.abort.signal,
      backoff: init.backoff,
      attempt: (connected) => this.connectOnce(connected),
      onDown: (error, failures) => {
        this.current = 'waiting';
        init.log.warn({ app: init.app, stream: init.name, target: init.url, err: error, failures }, 'push relay: target unreachable or gone, retrying');
      },
    }).then((outcome) => {
      if (outcome === 'gave up') void this.stop('gave up');
    });
  }

  write(message: LiveMessage): void {
    if (this.stopped) return;
    if (message.type === 9) this.hasVideo = true;
    if (message.header) {
      const slot = headerSlot(message);
      if (this.headers.has(slot) || this.headers.size < MAX_HEADERS) this.headers.set(slot, message);
    }
    const target = this.target;
    if (!target || !this.admit(target, message)) {
      if (!message.header) this.dropped++;
      return;
    }
    this.send(target, message);
  }

  /** Another publisher took over: this relay ends (the new publication gets its own). */
  published(): void {
    void this.stop('takeover');
  }

  unpublished(): void {
    void this.stop('unpublished');
  }

  close(reason: string): Promise<void> {
    return this.stop(reason);
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, messagesOut: this.messagesOut, dropped: this.dropped, queuedBytes: 0, peakQueuedBytes: 0 };
  }

  /** Stops relaying: the target is told (unpublish, closeStream, deleteStream) and the connection closed. */
  async stop(reason: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.current = 'stopped';
    this.abort.abort();
    this.subscription?.unsubscribe();
    this.target = undefined;
    await this.session?.close().catch(() => {});
    this.init.log.info({ app: this.init.app, stream: this.init.name, target: this.init.url, reason }, 'push relay stopped');
    this.init.onEnd(reason);
  }

  /** One connection to the target, until it ends. */
  private async connectOnce(connected: () => void): Promise<void> {
    const { init } = this;
    this.current = 'connecting';
    const session = await init.transport.connect(init.url, { ...init.connect, signal: this.abort.signal });
    this.session = session;
    try {
      if (this.stopped) return;
      const stream = await session.createStream();
      await stream.publish(init.streamName, 'live');
      if (this.stopped) return;
      this.connections++;
      connected();
      this.current = 'relaying';
      init.log.info({ app: init.app, stream: init.name, target: init.url, as: init.streamName }, 'push relay publishing');
      this.needKeyframe = true;
      for (const header of this.headers.values()) this.send(stream, header);
      this.target = stream;
      await Promise.race([session.closed, stream.closed]);
    } finally {
      this.target = undefined;
      if (this.stopped) await session.close().catch(() => {});
      else void session.close().catch(() => {});
    }
  }

  /** Media waits for a key frame after (re)connecting and after frames were left out; nothing is queued while the target is backed up. */
  private admit(target: NetStream, message: LiveMessage): boolean {
    if (message.header) return true;
    if (target.session.writableNeedDrain) {
      if (message.type === 9) this.needKeyframe = true;
      return false;
    }
    if (!this.hasVideo || !this.needKeyframe) return true;
    if (message.type !== 9 || !message.keyframe) return false;
    this.needKeyframe = false;
    return true;
  }

  private send(target: NetStream, message: LiveMessage): void {
    this.bytesOut += message.payload.length;
    this.messagesOut++;
    const outgoing = asPublished(message);
    // Unchanged messages share their chunk encoding with the players of the same chunk size.
    const options = outgoing === message ? { shared: message.shared } : {};
    target.send(outgoing, options).catch(() => {}); // a failed send shows as the session closing
  }
}
