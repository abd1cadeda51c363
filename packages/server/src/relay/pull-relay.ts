import type { ConnectOptions, RtmpMessage, Session, Transport } from '@rtmpkit/core';
import type { Logger } from 'pino';
import type { LiveHub } from '../live/live-hub.js';
import type { Publication } from '../live/publication.js';
import type { BackoffOptions } from './backoff.js';
import { KeyframeGate } from './keyframe-gate.js';
import type { RelayState } from './push-relay.js';
import { reconnectLoop } from './reconnect-loop.js';

/** What a pull relay is made of. */
export interface PullRelayInit {
  hub: LiveHub;
  app: string;
  name: string;
  /** The remote application URL and the stream name there. */
  url: string;
  streamName: string;
  transport: Transport;
  connect: ConnectOptions;
  backoff: Required<BackoffOptions>;
  /** How long it goes on after the last player left, in ms. */
  graceMs: number;
  log: Logger;
  /** The relay stopped. */
  onEnd(reason: string): void;
}

/** Sinks that do not keep a pull going: they are there because the stream is, not to watch it. */
const PASSIVE_SINKS = new Set(['recorder', 'relay']);

/** `|RtmpSampleAccess`, which the remote server's session sends after Play.Start: not part of the stream. */
function isSampleAccess(message: RtmpMessage): boolean {
  const marker = '|RtmpSampleAccess';
  return message.type === 18 && message.payload[0] === 0x02 && message.payload.toString('latin1', 3, 3 + marker.length) === marker;
}

/**
 * Plays a stream from another RTMP server and publishes it into the live hub under
 * `app` / `name`, so players here get it as any live stream (one remote connection for any
 * number of them). The publication starts with the first remote message, and its media with the
 * first key frame; when the remote
 * connection fails or ends it is ended (players get UnpublishNotify and wait) and the relay
 * reconnects with backoff. It stops when nobody has watched for `graceMs`, when a publisher here
 * takes the name, or on shutdown.
 */
export class PullRelay {
  private readonly abort = new AbortController();
  private publication: Publication | undefined;
  private session: Session | undefined;
  private current: RelayState = 'connecting';
  private stopped = false;
  private lastWatched = Date.now();
  private readonly idleTimer: ReturnType<typeof setInterval>;
  private bytesIn = 0;
  /** Connections made to the remote server so far. */
  connections = 0;

  constructor(private readonly init: PullRelayInit) {
    this.idleTimer = setInterval(() => this.checkWatched(), Math.max(50, Math.min(1000, init.graceMs / 2)));
    this.idleTimer.unref?.();
  }

  get state(): RelayState {
    return this.current;
  }

  /** Payload bytes received from the remote server. */
  get bytes(): number {
    return this.bytesIn;
  }

  /** Starts playing from the remote server (in the background). */
  start(): void {
    const { init } = this;
    void reconnectLoop({
      signal: this.abort.signal,
      backoff: init.backoff,
      attempt: (connected) => this.playOnce(connected),
      onDown: (error, failures) => {
        this.current = 'waiting';
        init.log.warn({ app: init.app, stream: init.name, source: init.url, err: error, failures }, 'pull relay: remote stream unreachable or gone, retrying');
      },
    }).then((outcome) => {
      if (outcome === 'gave up') void this.stop('gave up');
    });
  }

  /** Stops pulling: the publication here ends, the remote connection is closed. */
  async stop(reason: string): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.current = 'stopped';
    clearInterval(this.idleTimer);
    this.abort.abort();
    this.publication?.end();
    this.publication = undefined;
    await this.session?.close().catch(() => {});
    this.init.log.info({ app: this.init.app, stream: this.init.name, source: this.init.url, reason }, 'pull relay stopped');
    this.init.onEnd(reason);
  }

  /** One remote play, until it ends. */
  private async playOnce(connected: () => void): Promise<void> {
    const { init } = this;
    this.current = 'connecting';
    const session = await init.transport.connect(init.url, { ...init.connect, signal: this.abort.signal });
    this.session = session;
    try {
      if (this.stopped) return;
      const stream = await session.createStream();
      await stream.play(init.streamName, { start: -1 });
      this.connections++;
      connected();
      init.log.info({ app: init.app, stream: init.name, source: init.url, as: init.streamName }, 'pull relay playing');
      const gate = new KeyframeGate();
      for await (const message of stream) {
        if (this.stopped) return;
        if (isSampleAccess(message) || !gate.admit(message)) continue;
        const publication = this.publication ?? this.publish();
        if (!publication) return;
        this.bytesIn += message.payload.length;
        publication.push(message);
      }
    } finally {
      this.publication?.end();
      this.publication = undefined;
      if (this.stopped) await session.close().catch(() => {});
      else void session.close().catch(() => {});
    }
  }

  /** Publishes into the hub (first remote message); undefined (and the relay stops) when someone publishes the name here. */
  private publish(): Publication | undefined {
    const { init } = this;
    if (init.hub.isLive(init.app, init.name)) {
      void this.stop('published here');
      return undefined;
    }
    try {
      this.publication = init.hub.publish(init.app, init.name, { sessionId: undefined, remote: `relay from ${init.url}/${init.streamName}`, scheme: 'relay' }, {
        evicted: (reason) => {
          // Idle (the remote publisher went quiet): players wait, and the next remote message publishes again.
          if (reason === 'idle') this.publication = undefined;
          else void this.stop(reason === 'takeover' ? 'published here' : reason);
        },
      });
    } catch (error) {
      init.log.warn({ app: init.app, stream: init.name, err: error }, 'pull relay could not publish');
      void this.stop('could not publish');
      return undefined;
    }
    this.current = 'relaying';
    return this.publication;
  }

  /** Stops after `graceMs` without anyone watching. */
  private checkWatched(): void {
    const sinks = this.init.hub.get(this.init.app, this.init.name)?.allSinks ?? [];
    const watching = [...sinks].some((sink) => !PASSIVE_SINKS.has(sink.kind));
    const now = Date.now();
    if (watching) this.lastWatched = now;
    else if (now - this.lastWatched >= this.init.graceMs) void this.stop('no players');
  }
}
