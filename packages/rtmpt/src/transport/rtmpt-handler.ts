import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServerSession, type IncomingSession, type PeerAddress, type ServerSessionSettings } from '@rtmpkit/core';
import type { TunnelServerOptions } from '../server/server-options.js';
import { createTunnelServer, type TunnelServer } from '../server/tunnel-server.js';
import { SessionQueue } from './session-queue.js';

/** The tunnel's own options (everything of `TunnelServerOptions` but `onChannel`). */
export type TunnelSettings = Omit<TunnelServerOptions, 'onChannel'>;

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
export interface RtmptHandler extends AsyncIterable<IncomingSession> {
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  readonly tunnel: TunnelServer;
  /** Refuses sessions not yet taken, closes every tunnel. Does not close the HTTP server. */
  close(): Promise<void>;
}

/** Runs a server RTMP session over each new tunnel and queues those that reach `connect`. */
export function createRtmptHandler(options: RtmptHandlerOptions = {}): RtmptHandler {
  const queue = new SessionQueue<IncomingSession>(options.maxPendingSessions ?? 128);
  const scheme = options.scheme ?? 'rtmpt';
  const tunnel = createTunnelServer({
    ...options.tunnel,
    onChannel(channel) {
      startServerSession(channel, { ...options.session, scheme }).then(
        (incoming) => {
          if (!queue.push(incoming)) void incoming.reject('server busy: too many connections waiting to be accepted').catch(() => {});
        },
        (error: unknown) => {
          options.onConnectionError?.(error, channel.remote);
          channel.destroy();
        },
      );
    },
  });
  return {
    handleRequest: (request, response) => tunnel.handleRequest(request, response),
    tunnel,
    [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    async close() {
      const waiting = queue.end();
      await Promise.all(waiting.map((incoming) => incoming.reject('server shutting down').catch(() => {})));
      tunnel.close();
    },
  };
}
