import type { IncomingSession, PublishType, TransportScheme } from '@rtmpkit/core';
import type { Logger } from 'pino';
import { Authorizer } from '../auth/authorizer.js';
import { GOP_CACHE_DEFAULTS } from '../live/gop-cache.js';
import { LiveHub } from '../live/live-hub.js';
import type { LiveStreamInfo } from '../live/live-types.js';
import type { PlaySource } from '../play/play-sources.js';
import { newCounters, type ServerCounters, type ServerStats, type SessionInfo } from '../stats/stats-types.js';
import { admit } from './admission.js';
import type { ServerConnection } from './connection.js';
import type { ServerContext } from './context.js';
import { ServerStateError } from './errors.js';
import { ServerEvents, type ServerEventMap, type ServerEventName } from './events.js';
import { startListeners, type RunningListener } from './listeners.js';
import { resolveLogger } from './logger.js';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './server-options.js';
import { shutdown } from './shutdown.js';

/** Where the server is in its life. */
export type ServerState = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/**
 * The media server: any set of transports, one live hub, auth, stats and events. Make it with
 * `createServer(options)`, then `await server.start()`; `await server.close()` shuts it down
 * gracefully.
 */
export class RtmpServer {
  /** The live streams: plugins subscribe sinks (`live.subscribe`) and publish (`live.publish`) here. */
  readonly live: LiveHub;
  readonly log: Logger;
  private readonly options: ResolvedServerOptions;
  private readonly events: ServerEvents;
  private readonly counters: ServerCounters = newCounters();
  private readonly connections = new Set<ServerConnection>();
  private readonly context: ServerContext;
  private listeners: RunningListener[] = [];
  private current: ServerState = 'new';
  private startedAt = 0;
  private closing: Promise<void> | undefined;
  private sessionCount = 0;

  constructor(options: ServerOptions) {
    this.options = resolveServerOptions(options);
    this.log = resolveLogger(options.logger);
    this.events = new ServerEvents((event, error) => this.log.error({ err: error, event }, 'an event listener threw'));
    this.live = new LiveHub(this.options.live, {
      published: ({ app, name, publisher, takeover }) => {
        this.counters.publishes++;
        if (takeover) this.counters.takeovers++;
        this.events.emit('publish', { app, name, type: (publisher.type as PublishType | undefined) ?? 'external', publisher, takeover });
      },
      unpublished: ({ app, name, publisher, reason }) => {
        if (reason === 'idle') this.counters.idlePublishers++;
        this.log.info({ app, stream: name, reason, publisher: publisher.remote }, 'unpublished');
        this.events.emit('unpublish', { app, name, publisher, reason });
      },
      sinkFailed: ({ app, name, kind, error }) => this.log.warn({ app, stream: name, kind, err: error }, 'a sink failed and was removed'),
      unparsed: () => void this.counters.unparsedMessages++,
    });
    const gop = this.options.live.gopCache;
    const gopBytes = gop === false ? 0 : (gop?.maxBytes ?? GOP_CACHE_DEFAULTS.maxBytes);
    if (gopBytes > this.options.player.maxBytes) {
      this.log.warn({ gopBytes, playerBytes: this.options.player.maxBytes }, 'live.gopCache.maxBytes exceeds player.maxBytes: late players may lose the cached GOP');
    }
    const server = this;
    this.context = {
      options: this.options,
      hub: this.live,
      auth: new Authorizer(this.options.auth),
      events: this.events,
      counters: this.counters,
      log: this.log,
      connections: this.connections,
      sources: this.options.sources,
      get closing() {
        return server.current === 'closing' || server.current === 'closed';
      },
      nextSessionId: () => `s${++this.sessionCount}`,
    };
  }

  get state(): ServerState {
    return this.current;
  }

  /** Where each transport listens (empty until `start()` resolved). */
  get addresses(): Array<{ scheme: TransportScheme; address: string; port: number }> {
    return this.listeners.map(({ scheme, listener }) => ({ scheme, address: listener.address.address, port: listener.address.port }));
  }

  /**
   * Sets up the plugins, then listens on every transport; resolves once all listen. Rejects with
   * `ServerListenError` (e.g. a port in use: which one, and what to do), having closed whatever
   * had started.
   */
  async start(): Promise<void> {
    if (this.current !== 'new') throw new ServerStateError(`start() was already called (the server is ${this.current})`);
    this.current = 'starting';
    try {
      for (const plugin of this.options.plugins) await plugin.setup?.(this);
      this.listeners = await startListeners(this.options.transports, (incoming, scheme) => this.take(incoming, scheme), this.log);
    } catch (error) {
      this.current = 'closed';
      for (const plugin of this.options.plugins) await Promise.resolve(plugin.close?.()).catch(() => {});
      throw error;
    }
    this.current = 'running';
    this.startedAt = Date.now();
    for (const { scheme, address, port } of this.addresses) {
      this.log.info({ scheme, address, port }, 'listening');
      this.events.emit('listening', { scheme, address, port });
    }
  }

  /**
   * Graceful shutdown: stops taking connections, tells players (`NetStream.Play.Stop`) and every
   * client (`NetConnection.Connect.AppShutdown`), closes connections in order, flushes sinks and
   * closes plugins — bounded by `timeoutMs` (default `shutdownTimeoutMs`), after which the
   * remaining connections are cut. Resolves when everything is closed. Safe to call again.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closing) return this.closing;
    const wasRunning = this.current === 'running' || this.current === 'starting';
    this.current = 'closing';
    this.log.info({ sessions: this.connections.size }, 'shutting down');
    this.closing = (async () => {
      if (wasRunning) {
        const parts = { hub: this.live, connections: this.connections, listeners: this.listeners, plugins: this.options.plugins, log: this.log };
        await shutdown(parts, options.timeoutMs ?? this.options.shutdownTimeoutMs);
      }
      this.current = 'closed';
      this.log.info('closed');
    })();
    return this.closing;
  }

  /** Subscribes to a server event; returns the function that unsubscribes. */
  on<K extends ServerEventName>(event: K, listener: (event: ServerEventMap[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Like `on`, for one event. */
  once<K extends ServerEventName>(event: K, listener: (event: ServerEventMap[K]) => void): () => void {
    return this.events.once(event, listener);
  }

  /** Adds a place plays that are not live go (after those given in the options); returns the remover. */
  addPlaySource(source: PlaySource): () => void {
    this.options.sources.push(source);
    return () => {
      const index = this.options.sources.indexOf(source);
      if (index >= 0) this.options.sources.splice(index, 1);
    };
  }

  /** Published streams (`{ all: true }`: also names players wait for). */
  streams(options: { all?: boolean } = {}): LiveStreamInfo[] {
    return this.live.list(options);
  }

  /** Open connections. */
  sessions(): SessionInfo[] {
    return [...this.connections].map((connection) => connection.info());
  }

  /** Everything the API and metrics need, in one snapshot. */
  stats(): ServerStats {
    const counters = { ...this.counters };
    for (const connection of this.connections) counters.bytesOut += connection.bytesOut;
    return {
      uptimeMs: this.startedAt ? Date.now() - this.startedAt : 0,
      streams: this.streams(),
      sessions: this.sessions(),
      counters,
      listeners: this.addresses,
    };
  }

  private take(incoming: IncomingSession, scheme: TransportScheme): void {
    admit(this.context, incoming, scheme).catch((error: unknown) => {
      this.log.error({ err: error }, 'failed to take a connection');
      void incoming.reject('Internal server error.').catch(() => {});
    });
  }
}

/**
 * Makes a media server over the given transports (it does not listen until `start()`):
 *
 * ```ts
 * const server = createServer({ transports: [{ transport: rtmp(), listen: { port: 1935 } }] });
 * await server.start();
 * ```
 */
export function createServer(options: ServerOptions): RtmpServer {
  return new RtmpServer(options);
}
