import { StreamRejectedError } from '@rtmpkit/core';
import { pino, type Logger } from 'pino';
import type { PlaySource, PlaySourceRequest } from '../play/play-sources.js';
import type { ServerEventMap } from '../server/events.js';
import type { ServerPlugin } from '../server/plugin.js';
import type { RtmpServer } from '../server/rtmp-server.js';
import { matchesPattern } from './name-pattern.js';
import { PullRelay } from './pull-relay.js';
import { PushRelay, type RelayState } from './push-relay.js';
import { endpointFor, resolveRelayOptions, type RelayEndpoint, type RelayOptions, type ResolvedRelayOptions } from './relay-options.js';

/** A relay at work, for the API. */
export interface RelayInfo {
  direction: 'push' | 'pull';
  app: string;
  name: string;
  /** The other server's application URL, and the stream name there. */
  url: string;
  streamName: string;
  state: RelayState;
  /** Connections made so far (more than one: it reconnected). */
  connections: number;
  /** Payload bytes sent (push) or received (pull). */
  bytes: number;
}

interface Running {
  direction: 'push' | 'pull';
  app: string;
  name: string;
  url: string;
  streamName: string;
  relay: PushRelay | PullRelay;
}

const covers = (rule: RelayEndpoint, app: string, name: string): boolean => matchesPattern(rule.app, app) && matchesPattern(rule.name, name);

/**
 * Relays between this server and others (see `RelayOptions`): pushes streams published here to
 * other servers, and pulls streams from other servers on demand when players ask for them here.
 * Make it with `relay({ push, pull })` and put it in the server's `plugins` (it adds itself as a
 * `PlaySource` for pulls).
 */
export class Relay implements ServerPlugin, PlaySource {
  readonly name = 'relay';
  private readonly options: ResolvedRelayOptions;
  private readonly running = new Set<Running>();
  private server: RtmpServer | undefined;
  private log: Logger = pino({ level: 'silent' });
  private off: (() => void) | undefined;
  private removeSource: (() => void) | undefined;

  constructor(options: RelayOptions) {
    this.options = resolveRelayOptions(options);
  }

  setup(server: RtmpServer): void {
    this.server = server;
    this.log = server.log.child({ plugin: this.name });
    if (this.options.push.length > 0) this.off = server.on('publish', (event) => this.published(event));
    if (this.options.pull.length > 0) this.removeSource = server.addPlaySource(this);
  }

  /** Stops every relay; resolves when their connections are closed. */
  async close(): Promise<void> {
    this.off?.();
    this.removeSource?.();
    this.off = this.removeSource = undefined;
    await Promise.all([...this.running].map(({ relay }) => relay.stop('server closing')));
  }

  /** Relays at work. */
  list(): RelayInfo[] {
    return [...this.running].map(({ direction, app, name, url, streamName, relay }) => ({
      direction,
      app,
      name,
      url,
      streamName,
      state: relay.state,
      connections: relay.connections,
      bytes: relay instanceof PushRelay ? relay.stats().bytesOut : relay.bytes,
    }));
  }

  /**
   * Pull on demand: a live play (start -2 or -1) of a covered name nobody publishes here starts a
   * pull (or joins the one running) and passes, so the player waits for the publication the pull
   * makes. Recorded plays (start >= 0) are not pulled.
   */
  open(request: PlaySourceRequest): undefined {
    const { app, name } = request;
    const server = this.server;
    if (!server || request.start >= 0 || request.live) return undefined;
    const rule = this.options.pull.find((candidate) => covers(candidate, app, name));
    if (!rule) return undefined;
    if ([...this.running].some((entry) => entry.direction === 'pull' && entry.app === app && entry.name === name)) return undefined;
    if (this.count('pull') >= this.options.maxPulls) {
      throw new StreamRejectedError('NetStream.Play.Failed', `Too many pulled streams (maxPulls = ${this.options.maxPulls}).`);
    }
    const { url, streamName } = endpointFor(rule, { app, name });
    const entry: Running = {
      direction: 'pull',
      app,
      name,
      url,
      streamName,
      relay: new PullRelay({
        hub: server.live,
        app,
        name,
        url,
        streamName,
        transport: this.options.transport,
        connect: this.options.connect,
        backoff: this.options.reconnect,
        graceMs: rule.graceMs ?? this.options.graceMs,
        log: this.log,
        onEnd: () => this.running.delete(entry),
      }),
    };
    this.running.add(entry);
    this.log.info({ app, stream: name, source: url, as: streamName }, 'pulling');
    entry.relay.start();
    return undefined;
  }

  private published({ app, name }: ServerEventMap['publish']): void {
    const server = this.server;
    if (!server) return;
    for (const rule of this.options.push) {
      if (!covers(rule, app, name)) continue;
      if (this.count('push') >= this.options.maxPushes) {
        this.log.warn({ app, stream: name, max: this.options.maxPushes }, 'not pushed: too many pushes');
        return;
      }
      const { url, streamName } = endpointFor(rule, { app, name });
      const relay: PushRelay = new PushRelay({
        app,
        name,
        url,
        streamName,
        transport: this.options.transport,
        connect: this.options.connect,
        backoff: this.options.reconnect,
        log: this.log,
        onEnd: () => this.running.delete(entry),
      });
      const entry: Running = { direction: 'push', app, name, url, streamName, relay };
      try {
        relay.subscription = server.live.subscribe(app, name, relay, { gop: false });
      } catch (error) {
        this.log.warn({ app, stream: name, err: error }, 'not pushed: the stream refused the relay');
        continue;
      }
      this.running.add(entry);
      relay.start();
    }
  }

  private count(direction: 'push' | 'pull'): number {
    let count = 0;
    for (const entry of this.running) if (entry.direction === direction) count++;
    return count;
  }
}

/**
 * Relays streams to and from other RTMP servers:
 *
 * ```ts
 * relay({
 *   push: [{ app: 'live', name: 'cam*', url: 'rtmp://cdn.example.com/live' }],
 *   pull: [{ app: 'edge', url: 'rtmp://origin.example.com/live' }],
 * });
 * ```
 */
export function relay(options: RelayOptions): Relay {
  return new Relay(options);
}
