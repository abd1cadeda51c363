import { type ConnectOptions, type Listener, type ListenOptions, type PeerAddress, type Session, type Transport, parseRtmpUrl, startClientSession } from '@rtmpkit/core';
import { listenTunnelSessions, type TunnelClientOptions, type TunnelSettings, tunnelClientChannel } from '@rtmpkit/rtmpt';
import { type RtmpeClientOptions, type RtmpeServerOptions, rtmpeClientLink } from '../rtmpe/rtmpe-link.js';
import { createRtmpteHandler } from './rtmpte-handler.js';

/** Options of `rtmpte()`. */
export interface RtmpteTransportOptions {
  /** Defaults for every `connect()` (merged under the call's own options). Its `handshake` is ignored: see `client`. */
  connect?: ConnectOptions;
  /** Defaults for every `listen()` (merged under the call's own options). Its `handshake` is ignored: see `server`. */
  listen?: ListenOptions;
  /** The RTMPE handshake of `connect()`, as `rtmpe()`'s: secret layout, C1 version... */
  client?: RtmpeClientOptions;
  /** The RTMPE handshake of the listener's tunnels, as `rtmpe()`'s; `acceptPlain: true` also serves RTMPT clients. */
  server?: RtmpeServerOptions;
  /** The client's HTTP tunnel: polling, batching, limits (as `rtmpt({ client })`). */
  clientTunnel?: TunnelClientOptions;
  /** The server's HTTP tunnel: limits, polling bytes, idle hold, peer address (as `rtmpt({ tunnel })`). */
  tunnel?: TunnelSettings;
  /** How long an idle keep-alive connection stays open between requests (server). Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Sessions that finished `connect` but were not yet taken from the listener. Default 128. */
  maxPendingSessions?: number;
  /** Told about tunnels that failed before `connect` (not RTMPE, bad handshake, garbage, timeout). */
  onConnectionError?(error: unknown, remote: PeerAddress): void;
}

class RtmpteTransport implements Transport {
  readonly scheme = 'rtmpte' as const;

  constructor(private readonly options: RtmpteTransportOptions) {}

  async connect(url: string | URL, options: ConnectOptions = {}): Promise<Session> {
    const merged = { ...this.options.connect, ...options };
    const target = parseRtmpUrl(url, ['rtmpte']);
    const tunnel = await tunnelClientChannel(url, { ...this.options.clientTunnel, signal: merged.signal ?? this.options.clientTunnel?.signal });
    const link = rtmpeClientLink(tunnel, this.options.client);
    return startClientSession(link.channel, { ...merged, url: target.tcUrl, scheme: 'rtmpte', handshake: link.handshake });
  }

  async listen(options: ListenOptions = {}): Promise<Listener> {
    const merged = { ...this.options.listen, ...options };
    const { host = '0.0.0.0', port = 80, signal, ...settings } = merged;
    const handler = createRtmpteHandler({
      server: this.options.server,
      session: settings,
      tunnel: this.options.tunnel,
      maxPendingSessions: this.options.maxPendingSessions,
      onConnectionError: this.options.onConnectionError,
    });
    return listenTunnelSessions(handler, { host, port, signal, keepAliveTimeoutMs: this.options.keepAliveTimeoutMs });
  }
}

/**
 * RTMPTE: the RTMPE byte stream (Diffie-Hellman handshake in the clear, then RC4) inside RTMPT's
 * HTTP POSTs. `rtmpte().connect('rtmpte://host/app')` for a client session (port 80 by default);
 * `rtmpte().listen({ port: 80 })` for a server, which with `server: { acceptPlain: true }` also
 * takes `rtmpt://` clients on the same port. To mount it on an HTTP server of your own, use
 * `createRtmpteHandler`. Obfuscation, not security: use RTMPS or RTMPTS for that.
 */
export function rtmpte(options: RtmpteTransportOptions = {}): Transport {
  return new RtmpteTransport(options);
}
