import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { parseRtmpUrl, startClientSession, type ConnectOptions, type Listener, type ListenOptions, type PeerAddress, type Session, type Transport } from '@rtmpkit/core';
import type { TunnelClientOptions } from '../client/client-options.js';
import { tunnelClientChannel } from '../client/tunnel-client-channel.js';
import { listenTunnelSessions } from './listen-tunnel-sessions.js';
import { createRtmptHandler, type TunnelSettings } from './rtmpt-handler.js';

/** Options of `rtmpt()` and `rtmpts()`. */
export interface RtmptTransportOptions {
  /** Defaults for every `connect()` (merged under the call's own options). */
  connect?: ConnectOptions;
  /** Defaults for every `listen()` (merged under the call's own options). */
  listen?: ListenOptions;
  /** The client tunnel: polling, batching, limits, and `tls` (CA, servername...) for rtmpts. */
  client?: TunnelClientOptions;
  /** The server tunnel: limits, polling bytes, idle hold, peer address. */
  tunnel?: TunnelSettings;
  /** rtmpts servers: the certificate and key (any `node:https` server option). */
  tls?: HttpsServerOptions;
  /** How long an idle keep-alive connection stays open between requests (server). Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Sessions that finished `connect` but were not yet taken from the listener. Default 128. */
  maxPendingSessions?: number;
  /** Told about tunnels that failed before `connect` (garbage, bad handshake, timeout). */
  onConnectionError?(error: unknown, remote: PeerAddress): void;
}

class RtmptTransport implements Transport {
  constructor(
    readonly scheme: 'rtmpt' | 'rtmpts',
    private readonly options: RtmptTransportOptions,
  ) {}

  async connect(url: string | URL, options: ConnectOptions = {}): Promise<Session> {
    const merged = { ...this.options.connect, ...options };
    const target = parseRtmpUrl(url, [this.scheme]);
    const channel = await tunnelClientChannel(url, { ...this.options.client, signal: merged.signal ?? this.options.client?.signal });
    return startClientSession(channel, { ...merged, url: target.tcUrl, scheme: this.scheme });
  }

  async listen(options: ListenOptions = {}): Promise<Listener> {
    const merged = { ...this.options.listen, ...options };
    const { host = '0.0.0.0', port = this.scheme === 'rtmpts' ? 443 : 80, signal, ...settings } = merged;
    if (this.scheme === 'rtmpts' && !this.options.tls) {
      throw new TypeError('rtmpts().listen needs a certificate: rtmpts({ tls: { cert, key } })');
    }
    const handler = createRtmptHandler({
      scheme: this.scheme,
      session: settings,
      tunnel: this.options.tunnel,
      maxPendingSessions: this.options.maxPendingSessions,
      onConnectionError: this.options.onConnectionError,
    });
    const tls = this.scheme === 'rtmpts' ? this.options.tls : undefined;
    return listenTunnelSessions(handler, { host, port, signal, tls, keepAliveTimeoutMs: this.options.keepAliveTimeoutMs });
  }
}

/**
 * RTMP tunnelled in HTTP: `rtmpt().connect('rtmpt://host:8080/live')` for a client session;
 * `rtmpt().listen({ port: 8080 })` for a server that yields incoming sessions. To serve RTMPT on
 * an HTTP server that also serves other routes, use `createRtmptHandler`.
 */
export function rtmpt(options: RtmptTransportOptions = {}): Transport {
  return new RtmptTransport('rtmpt', options);
}

/** RTMPT over HTTPS: as `rtmpt()`, with `tls: { cert, key }` to listen and `client.tls` to connect. */
export function rtmpts(options: RtmptTransportOptions = {}): Transport {
  return new RtmptTransport('rtmpts', options);
}
