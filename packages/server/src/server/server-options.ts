import type { ListenOptions, Transport } from '@rtmpkit/core';
import type { AuthOptions } from '../auth/auth-types.js';
import type { LiveOptions } from '../live/live-hub.js';
import type { PlayerQueueOptions } from '../play/player-queue.js';
import { resolvePlayerQueueOptions } from '../play/player-queue.js';
import type { PlaySource } from '../play/play-sources.js';
import type { LoggerOption } from './logger.js';
import type { ServerPlugin } from './plugin.js';

/** One transport and where it listens. */
export interface TransportConfig {
  /** `rtmp()`, `rtmps({ … })`, `rtmpt()`, … */
  transport: Transport;
  /** `host`, `port` and the session settings (timeouts, limits, chunkSize, …) for this transport. */
  listen?: ListenOptions;
}

/** Options of `createServer`. */
export interface ServerOptions {
  /**
   * The transports to listen with, each with its listen options, or a bare transport (it listens
   * on its default port, on every interface): `[rtmp()]`,
   * `[{ transport: rtmp(), listen: { port: 1935 } }, { transport: rtmps(tls), listen: { port: 443 } }]`.
   */
  transports: Array<TransportConfig | Transport>;
  /** A pino logger, `{ level }`, or false. Default: pino at `info` on stdout (`silent` under vitest). */
  logger?: LoggerOption;
  /** Applications clients may connect to (default: any), or a predicate. */
  apps?: string[] | ((app: string) => boolean);
  /** Live streams: takeover, idle publishers, GOP cache, limits. */
  live?: LiveOptions;
  /** Per-player queue limits (slow players). */
  player?: PlayerQueueOptions;
  /** Auth hooks and signed URLs. */
  auth?: AuthOptions;
  /** Where plays that are not live go (VOD, pull relays), asked in order. */
  sources?: PlaySource[];
  /** Plugins (recording, HTTP-FLV, API, …), set up in `start()` and closed in `close()`. */
  plugins?: ServerPlugin[];
  /** Connections at once; more are refused at `connect`. Default 1000. */
  maxSessions?: number;
  /** Longest application or stream name. Default 1024. */
  maxNameLength?: number;
  /** How long `close()` may take before it cuts the remaining connections (ms). Default 5000. */
  shutdownTimeoutMs?: number;
}

/** `ServerOptions` with defaults in place and values checked. */
export interface ResolvedServerOptions {
  transports: TransportConfig[];
  apps: (app: string) => boolean;
  live: LiveOptions;
  player: Required<PlayerQueueOptions>;
  auth: AuthOptions;
  sources: PlaySource[];
  plugins: ServerPlugin[];
  maxSessions: number;
  maxNameLength: number;
  shutdownTimeoutMs: number;
}

function isTransport(value: TransportConfig | Transport): value is Transport {
  return typeof (value as Transport).listen === 'function' && typeof (value as Transport).connect === 'function';
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** Checks the options and fills in defaults (RangeError/TypeError: options come from local code). */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  if (!options || !Array.isArray(options.transports) || options.transports.length === 0) {
    throw new TypeError('createServer needs at least one transport: createServer({ transports: [rtmp()] })');
  }
  const transports = options.transports.map((entry, index) => {
    if (isTransport(entry)) return { transport: entry, listen: {} };
    if (!entry || !isTransport(entry.transport)) throw new TypeError(`transports[${index}] is neither a Transport nor { transport, listen }`);
    return { transport: entry.transport, listen: { ...entry.listen } };
  });
  const apps = options.apps;
  return {
    transports,
    apps: typeof apps === 'function' ? apps : Array.isArray(apps) ? (app) => apps.includes(app) : () => true,
    live: options.live ?? {},
    player: resolvePlayerQueueOptions(options.player),
    auth: options.auth ?? {},
    sources: [...(options.sources ?? [])],
    plugins: [...(options.plugins ?? [])],
    maxSessions: positiveInteger('maxSessions', options.maxSessions ?? 1000),
    maxNameLength: positiveInteger('maxNameLength', options.maxNameLength ?? 1024),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs ?? 5000),
  };
}
