import { createServer } from 'node:net';
import {
  type ConnectOptions,
  type Listener,
  type ListenOptions,
  type Session,
  type Transport,
  parseRtmpUrl,
  startClientSession,
} from '@rtmpkit/core';
import { listenOn, openTcp, socketChannel, socketListener } from '@rtmpkit/rtmp';
import { type RtmpeClientOptions, type RtmpeServerOptions, rtmpeClientLink } from './rtmpe-link.js';
import { rtmpeSessionStarter } from './rtmpe-server-session.js';

/** Options of `rtmpe()`. */
export interface RtmpeTransportOptions {
  /** Defaults for every `connect()` (merged under the call's own options). Its `handshake` is ignored: see `client`. */
  connect?: ConnectOptions;
  /** Defaults for every `listen()` (merged under the call's own options). Its `handshake` is ignored: see `server`. */
  listen?: ListenOptions;
  /** The RTMPE handshake of `connect()`: handshake type, secret layout, C1 version... */
  client?: RtmpeClientOptions;
  /** The RTMPE handshake of the listener's connections: answered type, S1 layout, plain clients... */
  server?: RtmpeServerOptions;
  /** Sessions that finished `connect` but were not yet taken from the listener. Default 128. */
  maxPendingSessions?: number;
  /** Told about connections that failed before `connect` (not RTMPE, bad handshake, garbage, timeout). */
  onConnectionError?(error: unknown, remote: { address?: string; port?: number }): void;
}

class RtmpeTransport implements Transport {
  readonly scheme = 'rtmpe' as const;

  constructor(private readonly options: RtmpeTransportOptions) {}

  async connect(url: string | URL, options: ConnectOptions = {}): Promise<Session> {
    const merged = { ...this.options.connect, ...options };
    const target = parseRtmpUrl(url, ['rtmpe']);
    const socket = await openTcp(target.host, target.port, merged.signal);
    const link = rtmpeClientLink(socketChannel(socket), this.options.client);
    return startClientSession(link.channel, { ...merged, url: target.tcUrl, scheme: 'rtmpe', handshake: link.handshake });
  }

  async listen(options: ListenOptions = {}): Promise<Listener> {
    const merged = { ...this.options.listen, ...options };
    const { host = '0.0.0.0', port = 1935, signal, ...settings } = merged;
    const server = createServer({ noDelay: true });
    await listenOn(server, host, port, signal);
    const startSession = rtmpeSessionStarter(this.options.server, settings);
    return socketListener(server, {
      connectionEvent: 'connection',
      toChannel: (socket) => socketChannel(socket),
      startSession,
      maxPendingSessions: this.options.maxPendingSessions,
      onConnectionError: (error, socket) =>
        this.options.onConnectionError?.(error, { address: socket.remoteAddress, port: socket.remotePort }),
    });
  }
}

/**
 * RTMPE over TCP: `rtmpe().connect('rtmpe://host/app')` for a client session,
 * `rtmpe().listen({ port: 1935 })` for a server. The same sessions as `rtmp()`; underneath, the
 * RTMPE handshake (`RtmpeExtension`) and RC4 on the socket (`rc4Channel`). Obfuscation, not
 * security: use RTMPS for that.
 */
export function rtmpe(options: RtmpeTransportOptions = {}): Transport {
  return new RtmpeTransport(options);
}
