import { connect as tcpConnect, createServer, type Socket } from 'node:net';
import {
  parseRtmpUrl,
  startClientSession,
  startServerSession,
  type ConnectOptions,
  type Listener,
  type ListenOptions,
  type Session,
  type Transport,
} from '@rtmpkit/core';
import { socketChannel } from './socket-channel.js';
import { listenOn, socketListener } from './socket-listener.js';

export interface RtmpTransportOptions {
  /** Defaults for every `connect()` (merged under the call's own options). */
  connect?: ConnectOptions;
  /** Defaults for every `listen()` (merged under the call's own options). */
  listen?: ListenOptions;
  /** Sessions that finished `connect` but were not yet taken from the listener. Default 128. */
  maxPendingSessions?: number;
  /** Told about connections that failed before `connect` (garbage, bad handshake, timeout). */
  onConnectionError?(error: unknown, remote: { address?: string; port?: number }): void;
}

/** Opens a TCP connection, rejecting with a message that says what to check. */
export function openTcp(host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port, signal });
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        error.message = `nothing accepts RTMP connections on ${host}:${port} (is the server running, and is that its port?)`;
      }
      reject(error);
    };
    socket.once('error', onError);
  });
}

class RtmpTransport implements Transport {
  readonly scheme = 'rtmp' as const;

  constructor(private readonly options: RtmpTransportOptions) {}

  async connect(url: string | URL, options: ConnectOptions = {}): Promise<Session> {
    const merged = { ...this.options.connect, ...options };
    const target = parseRtmpUrl(url, ['rtmp']);
    const socket = await openTcp(target.host, target.port, merged.signal);
    return startClientSession(socketChannel(socket), { ...merged, url: target.tcUrl, scheme: 'rtmp' });
  }

  async listen(options: ListenOptions = {}): Promise<Listener> {
    const merged = { ...this.options.listen, ...options };
    const { host = '0.0.0.0', port = 1935, signal, ...settings } = merged;
    // One options object for every session of the listener (each session keeps it).
    const sessionOptions = { ...settings, scheme: 'rtmp' as const };
    const server = createServer({ noDelay: true });
    await listenOn(server, host, port, signal);
    return socketListener(server, {
      connectionEvent: 'connection',
      toChannel: (socket) => socketChannel(socket),
      startSession: (channel) => startServerSession(channel, sessionOptions),
      maxPendingSessions: this.options.maxPendingSessions,
      onConnectionError: (error, socket) =>
        this.options.onConnectionError?.(error, { address: socket.remoteAddress, port: socket.remotePort }),
    });
  }
}

/**
 * RTMP over TCP. `rtmp().connect('rtmp://host/app')` for a client session;
 * `rtmp().listen({ port: 1935 })` for a server that yields incoming sessions.
 */
export function rtmp(options: RtmpTransportOptions = {}): Transport {
  return new RtmpTransport(options);
}
