import type { TunnelSettings } from '@rtmpkit/rtmpt';
import { resolvePlayerQueueOptions, type PlayerQueueOptions } from '../play/player-queue.js';
import type { HttpAuthOptions } from './http-auth.js';

/** Which RTMP tunnels the HTTP port serves. */
export type HttpTunnelMode = 'rtmpte' | 'rtmpt' | false;

/** Options of `http()`: one HTTP port for HTTP-FLV, the JSON API, metrics, the dashboard and RTMPT. */
export interface HttpOptions {
  /** Port. Default 8080; 0 picks a free one (see `plugin.address` after `start()`). */
  port?: number;
  /** Interface. Default `0.0.0.0`. */
  host?: string;
  /**
   * RTMP tunnelled in HTTP on the same port: `rtmpte` (default) serves RTMPT and RTMPTE (plain
   * clients are told apart by their first byte), `rtmpt` only RTMPT, false none. The tunnel's
   * sessions reach the media server through `plugin.transports`, which go into `createServer({ transports })`.
   */
  tunnel?: HttpTunnelMode;
  /** Limits of the tunnel (sessions, body and reply sizes, timeouts). Defaults: `@rtmpkit/rtmpt`'s. */
  tunnelSettings?: TunnelSettings;
  /** `GET /<app>/<stream>.flv`. Default true. */
  flv?: boolean;
  /** `GET /api/server`, `/api/streams`, `/api/sessions`. Default true. */
  api?: boolean;
  /** `GET /metrics` (Prometheus text format). Default true. */
  metrics?: boolean;
  /** Also export prom-client's standard process metrics (`process_*`, `nodejs_*`: CPU, memory, event loop lag). Default true. */
  processMetrics?: boolean;
  /** `GET /`: the dashboard with live previews (needs `api` and `flv`). Default true. */
  dashboard?: boolean;
  /**
   * When set, `/api/*` and `/metrics` need `Authorization: Bearer <token>` (the dashboard passes
   * `?token=` of its own URL on). Default: none (open).
   */
  apiToken?: string;
  /** `Access-Control-Allow-Origin` of the FLV and API answers; false sends no CORS headers. Default `*`. */
  cors?: string | false;
  /** Who may play HTTP-FLV: signed URLs and a hook. Default: anyone. */
  auth?: HttpAuthOptions;
  /** Queue limits of each HTTP-FLV player (slow clients), as for RTMP players. Defaults: `PLAYER_QUEUE_DEFAULTS`. */
  player?: PlayerQueueOptions;
  /** HTTP-FLV players at once (all streams); more get 503. Default 1000. */
  maxFlvPlayers?: number;
  /** TCP connections to the HTTP port at once (the server drops more). Default 10 000. */
  maxConnections?: number;
  /** Milliseconds to receive a request's headers. Default 10 000. */
  headersTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection is kept. Default 5000. */
  keepAliveTimeoutMs?: number;
}

/** `HttpOptions` with defaults in place. */
export interface ResolvedHttpOptions {
  port: number;
  host: string;
  tunnel: HttpTunnelMode;
  tunnelSettings: TunnelSettings;
  flv: boolean;
  api: boolean;
  metrics: boolean;
  processMetrics: boolean;
  dashboard: boolean;
  apiToken: string | undefined;
  cors: string | false;
  auth: HttpAuthOptions;
  player: Required<PlayerQueueOptions>;
  maxFlvPlayers: number;
  maxConnections: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** The defaults of `HttpOptions`. */
export const HTTP_DEFAULTS = Object.freeze({
  port: 8080,
  host: '0.0.0.0',
  tunnel: 'rtmpte' as HttpTunnelMode,
  maxFlvPlayers: 1000,
  maxConnections: 10_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
});

function integer(name: string, value: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new RangeError(`http.${name} must be an integer from ${minimum} to ${maximum}, got ${String(value)}`);
  }
  return value;
}

/** Checks `HttpOptions` and fills in the defaults (RangeError / TypeError: options come from local code). */
export function resolveHttpOptions(options: HttpOptions = {}): ResolvedHttpOptions {
  const tunnel = options.tunnel ?? HTTP_DEFAULTS.tunnel;
  if (tunnel !== false && tunnel !== 'rtmpt' && tunnel !== 'rtmpte') throw new TypeError(`http.tunnel must be 'rtmpte', 'rtmpt' or false, got ${String(tunnel)}`);
  if (options.apiToken !== undefined && options.apiToken.length === 0) throw new RangeError('http.apiToken must not be empty (leave it out for an open API)');
  return {
    port: integer('port', options.port ?? HTTP_DEFAULTS.port, 0, 65_535),
    host: options.host ?? HTTP_DEFAULTS.host,
    tunnel,
    tunnelSettings: options.tunnelSettings ?? {},
    flv: options.flv ?? true,
    api: options.api ?? true,
    metrics: options.metrics ?? true,
    processMetrics: options.processMetrics ?? true,
    dashboard: options.dashboard ?? true,
    apiToken: options.apiToken,
    cors: options.cors ?? '*',
    auth: options.auth ?? {},
    player: resolvePlayerQueueOptions(options.player),
    maxFlvPlayers: integer('maxFlvPlayers', options.maxFlvPlayers ?? HTTP_DEFAULTS.maxFlvPlayers, 1),
    maxConnections: integer('maxConnections', options.maxConnections ?? HTTP_DEFAULTS.maxConnections, 1),
    headersTimeoutMs: integer('headersTimeoutMs', options.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs, 1),
    keepAliveTimeoutMs: integer('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? HTTP_DEFAULTS.keepAliveTimeoutMs, 1),
  };
}
