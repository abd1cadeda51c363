import type { PeerAddress, ServerSessionSettings } from '@rtmpkit/core';
import { createTunnelSessionHandler, type TunnelSessionHandler, type TunnelSettings } from '@rtmpkit/rtmpt';
import type { RtmpeServerOptions } from '../rtmpe/rtmpe-link.js';
import { startRtmpteSession } from '../rtmpe/rtmpe-server-session.js';

/** What `createRtmpteHandler` returns: a request handler to mount and the incoming sessions (rtmpt's `TunnelSessionHandler`). */
export type RtmpteHandler = TunnelSessionHandler;

/** What `createRtmpteHandler` takes. */
export interface RtmpteHandlerOptions {
  /**
   * The RTMPE handshake of each tunnel (answered type, S1 layout, secret padding). With
   * `acceptPlain: true` the same paths also serve plain RTMPT clients (C0 = 3), unencrypted, as
   * sessions whose scheme is `rtmpt`: one port for both.
   */
  server?: RtmpeServerOptions;
  /** Session settings (timeouts, limits, fmsVersion...); their `handshake` is not used: see `server`. */
  session?: ServerSessionSettings;
  /** Tunnel limits, polling, peer address and `secure` rules (as `createRtmptHandler`'s). */
  tunnel?: TunnelSettings;
  /** Sessions that finished `connect` but were not yet taken. Default 128; beyond it they are rejected. */
  maxPendingSessions?: number;
  /** Told about tunnels whose session failed before `connect` (not RTMPE, bad handshake, garbage, timeout). */
  onConnectionError?(error: unknown, remote: PeerAddress): void;
}

/**
 * RTMPTE (and, with `server.acceptPlain`, RTMPT) sessions on an HTTP server you already run:
 * mount `handleRequest` (false for paths that are not RTMPT's `/open`, `/send`, `/idle`,
 * `/close`, `/fcs`) and iterate the incoming sessions; `incoming.scheme` says `rtmpte` or
 * `rtmpt`. Each tunnel's bytes are the RTMPE handshake in the clear, then RC4 — obfuscation,
 * not security (`secure` stays what the HTTP side is).
 */
export function createRtmpteHandler(options: RtmpteHandlerOptions = {}): RtmpteHandler {
  return createTunnelSessionHandler({
    tunnel: options.tunnel,
    maxPendingSessions: options.maxPendingSessions,
    onConnectionError: options.onConnectionError,
    startSession: (channel) => startRtmpteSession(channel, options.server, options.session),
  });
}
