import type { IncomingMessage } from 'node:http';
import type { ByteChannel, PeerAddress } from '@rtmpkit/core';
import type { PollingDelayOptions } from '../protocol/polling-delay.js';
import type { TunnelError } from '../errors.js';

/** One tunnel session on the server, as the RTMP session sees it. */
export interface TunnelChannel extends ByteChannel {
  /** The tunnel session id handed out by `/open`. */
  readonly id: string;
}

/** The limits of a tunnel server; every one has a default and can be changed. */
export interface TunnelServerLimits {
  /** Tunnel sessions open at once; `/open` beyond it gets 503. Default 1000. */
  maxSessions: number;
  /** Largest request body; larger gets 413 (and the connection is closed). Default 4 MiB. */
  maxBodyBytes: number;
  /** Most server→client bytes in one send/idle reply (the rest waits for the next request). Default 1 MiB. */
  maxReplyBytes: number;
  /** `write()` returns false once this many bytes wait for the client. Default 1 MiB. */
  highWaterMark: number;
  /** A tunnel with more bytes than this waiting for its client is destroyed (`LimitExceededError`). Default 16 MiB. */
  maxQueuedBytes: number;
  /** A tunnel session with no request for this long is closed (`TimeoutError` 'idle'). Default 30 s. */
  sessionTimeoutMs: number;
  /** How far ahead of the next expected sequence number a request may be; further gets 400. Default 8. */
  reorderWindow: number;
  /** How long a request after a gap waits for the missing ones before the gap counts as a skip. Default 100 ms. */
  reorderWaitMs: number;
  /**
   * How long an idle request that finds nothing to send is held (answered at once when something
   * is written or the next request comes). 0 answers at once, as Red5 does. Default 20 ms.
   */
  idleHoldMs: number;
}

/** The defaults of `TunnelServerLimits`. */
export const DEFAULT_TUNNEL_SERVER_LIMITS: Readonly<TunnelServerLimits> = {
  maxSessions: 1000,
  maxBodyBytes: 4 * 1024 * 1024,
  maxReplyBytes: 1024 * 1024,
  highWaterMark: 1024 * 1024,
  maxQueuedBytes: 16 * 1024 * 1024,
  sessionTimeoutMs: 30_000,
  reorderWindow: 8,
  reorderWaitMs: 100,
  idleHoldMs: 20,
};

/** What `createTunnelServer` takes. */
export interface TunnelServerOptions extends Partial<TunnelServerLimits> {
  /**
   * Called once per new tunnel session (on `/open`), before its id is sent to the client. Attach
   * the RTMP session here (bytes that arrive before `attach` wait for it). A throw refuses the
   * tunnel with 500.
   */
  onChannel(channel: TunnelChannel): void;
  /** The polling byte at the head of each send/idle reply (default: Red5's 1, 3, 5, 9, 17, 33). */
  polling?: PollingDelayOptions;
  /**
   * Where a tunnel's client is, for `channel.remote`. Default: the TCP peer of the `/open`
   * request. Behind a reverse proxy, read `X-Forwarded-For` here (only if the proxy sets it).
   */
  peerAddress?(request: IncomingMessage): PeerAddress;
  /**
   * Whether tunnels count as protected on the wire (`channel.secure`). Default: true when the
   * `/open` request came over TLS (RTMPTS). Set true behind a proxy that terminates TLS.
   */
  secure?: boolean | ((request: IncomingMessage) => boolean);
  /** Told about each refused request (bad path, method, size, session or sequence number), for logs. */
  onRequestError?(error: TunnelError, request: IncomingMessage): void;
}

/** Fills in the defaults and checks every limit. */
export function resolveLimits(options: Partial<TunnelServerLimits>): TunnelServerLimits {
  const limits = { ...DEFAULT_TUNNEL_SERVER_LIMITS };
  for (const key of Object.keys(DEFAULT_TUNNEL_SERVER_LIMITS) as Array<keyof TunnelServerLimits>) {
    const value = options[key];
    if (value === undefined) continue;
    const minimum = key === 'reorderWaitMs' || key === 'idleHoldMs' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
      throw new RangeError(`tunnel server option ${key} must be a number >= ${minimum}, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return limits;
}
