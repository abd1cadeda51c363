import { startServerSession, type PeerAddress, type ServerSessionSettings } from '@rtmpkit/core';
import { createTunnelSessionHandler, type TunnelSessionHandler, type TunnelSettings } from './tunnel-session-handler.js';

export type { TunnelSettings } from './tunnel-session-handler.js';

/** What `createRtmptHandler` takes. */
export interface RtmptHandlerOptions {
  /** `rtmpt` or `rtmpts`: what the sessions report as their scheme. Default `rtmpt`. */
  scheme?: 'rtmpt' | 'rtmpts';
  /** Session settings (handshake, timeouts, limits, fmsVersion...). */
  session?: ServerSessionSettings;
  /** Tunnel limits, polling, peer address and `secure` rules. */
  tunnel?: TunnelSettings;
  /** Sessions that finished `connect` but were not yet taken. Default 128; beyond it they are rejected. */
  maxPendingSessions?: number;
  /** Told about tunnels whose RTMP session failed before `connect` (bad handshake, garbage, timeout). */
  onConnectionError?(error: unknown, remote: PeerAddress): void;
}

/**
 * RTMPT sessions on an HTTP(S) server you already run: mount `handleRequest` (it returns false
 * for paths that are not RTMPT) and iterate incoming sessions, as from a `Listener`.
 */
export interface RtmptHandler extends TunnelSessionHandler {}

/** Runs a server RTMP session over each new tunnel and queues those that reach `connect`. */
export function createRtmptHandler(options: RtmptHandlerOptions = {}): RtmptHandler {
  const scheme = options.scheme ?? 'rtmpt';
  return createTunnelSessionHandler({
    tunnel: options.tunnel,
    maxPendingSessions: options.maxPendingSessions,
    onConnectionError: options.onConnectionError,
    startSession: (channel) => startServerSession(channel, { ...options.session, scheme }),
  });
}
