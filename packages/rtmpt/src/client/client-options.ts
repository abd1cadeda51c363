import type { ConnectionOptions } from 'node:tls';

/** How the client tunnel behaves; every limit has a default. */
export interface TunnelClientOptions {
  /** TLS options for `rtmpts://` / `https://` (e.g. `ca`, `rejectUnauthorized`, `servername`). */
  tls?: ConnectionOptions;
  /** The User-Agent header. Default `Shockwave Flash` (what librtmp and FFmpeg send). */
  userAgent?: string;
  /** Most bytes in one `/send` body; more waits for the next POST. Default 256 KiB. */
  maxSendBytes?: number;
  /** Largest reply body accepted; a larger one fails the tunnel (`LimitExceededError`). Default 16 MiB. */
  maxReplyBytes?: number;
  /** `write()` returns false once this many bytes wait or are in flight. Default 1 MiB. */
  highWaterMark?: number;
  /** Milliseconds per unit of the server's polling byte. Default 10. */
  pollUnitMs?: number;
  /** Floor of the wait before an idle poll, and the wait after a reply that carried data. Default 0 ms. */
  minPollMs?: number;
  /** Ceiling of the wait before an idle poll. Default 500 ms. */
  maxPollMs?: number;
  /** A request with no progress for this long fails the tunnel. Default 30 s. */
  requestTimeoutMs?: number;
  /** Aborts `/open`. */
  signal?: AbortSignal;
}

/** The resolved numbers of `TunnelClientOptions`. */
export interface TunnelClientLimits {
  maxSendBytes: number;
  maxReplyBytes: number;
  highWaterMark: number;
  pollUnitMs: number;
  minPollMs: number;
  maxPollMs: number;
  requestTimeoutMs: number;
}

/** The defaults of the client's limits. */
export const DEFAULT_TUNNEL_CLIENT_LIMITS: Readonly<TunnelClientLimits> = {
  maxSendBytes: 256 * 1024,
  maxReplyBytes: 16 * 1024 * 1024,
  highWaterMark: 1024 * 1024,
  pollUnitMs: 10,
  minPollMs: 0,
  maxPollMs: 500,
  requestTimeoutMs: 30_000,
};

/** Fills in defaults and checks the numbers. */
export function resolveClientLimits(options: TunnelClientOptions): TunnelClientLimits {
  const limits = { ...DEFAULT_TUNNEL_CLIENT_LIMITS };
  for (const key of Object.keys(DEFAULT_TUNNEL_CLIENT_LIMITS) as Array<keyof TunnelClientLimits>) {
    const value = options[key];
    if (value === undefined) continue;
    const minimum = key === 'minPollMs' || key === 'pollUnitMs' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
      throw new RangeError(`tunnel client option ${key} must be a number >= ${minimum}, got ${String(value)}`);
    }
    limits[key] = value;
  }
  if (limits.minPollMs > limits.maxPollMs) throw new RangeError(`minPollMs (${limits.minPollMs}) is above maxPollMs (${limits.maxPollMs})`);
  return limits;
}
