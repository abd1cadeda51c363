import type { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncQueue, type IncomingSession, type PeerAddress } from '@rtmpkit/core';
import type { TunnelChannel, TunnelServerOptions } from '../server/server-options.js';
import { createTunnelServer, type TunnelServer } from '../server/tunnel-server.js';

/** The tunnel's own options (everything of `TunnelServerOptions` but `onChannel`). */
export type TunnelSettings = Omit<TunnelServerOptions, 'onChannel'>;

/** What `createTunnelSessionHandler` takes. */
export interface TunnelSessionHandlerOptions {
  /**
   * Starts the server RTMP session of one new tunnel (called on `/open`, before the id is sent)
   * and resolves once the client's `connect` arrived, as core's `startServerSession` does. This
   * is where a variant wraps the channel: RTMPTE puts the RC4 channel and its handshake here.
   */
  startSession(channel: TunnelChannel): Promise<IncomingSession>;
  /** Tunnel limits, polling, peer address and `secure` rules. */
  tunnel?: TunnelSettings;
  /** Sessions that finished `connect` but were not yet taken. Default 128; beyond it they are rejected. */
  maxPendingSessions?: number;
  /** Told about tunnels whose RTMP session failed before `connect` (bad handshake, garbage, timeout). */
  onConnectionError?(error: unknown, remote: PeerAddress): void;
}

/**
 * RTMP sessions over tunnels on an HTTP(S) server you already run: mount `handleRequest` (it
 * returns false for paths that are not RTMPT) and iterate incoming sessions, as from a `Listener`.
 */
export interface TunnelSessionHandler extends AsyncIterable<IncomingSession> {
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  readonly tunnel: TunnelServer;
  /** Refuses sessions not yet taken, closes every tunnel. Does not close the HTTP server. */
  close(): Promise<void>;
}

/**
 * Runs `startSession` over each new tunnel and queues the sessions that reach `connect`; a
 * session that fails before it is reported to `onConnectionError` and its tunnel destroyed.
 * `createRtmptHandler` is this with core's `startServerSession`; other variants bring their own.
 */
export function createTunnelSessionHandler(options: TunnelSessionHandlerOptions): TunnelSessionHandler {
  const queue = new AsyncQueue<IncomingSession>(options.maxPendingSessions ?? 128, { endWhenReaderLeaves: false });
  const tunnel = createTunnelServer({
    ...options.tunnel,
    onChannel(channel) {
      options.startSession(channel).then(
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
      queue.end();
      const waiting = queue.drain();
      await Promise.all(waiting.map((incoming) => incoming.reject('server shutting down').catch(() => {})));
      tunnel.close();
    },
  };
}
