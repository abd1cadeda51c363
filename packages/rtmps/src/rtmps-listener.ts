import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { ByteChannel, IncomingSession, Listener } from '@rtmpkit/core';
import { socketChannel, socketListener } from '@rtmpkit/rtmp';
import type { CertificateStore, ServerCertificates } from './certificate-store.js';
import { watchCertificateFiles, type CertificateWatcher } from './certificate-watcher.js';
import type { RtmpsLog } from './log.js';
import { serverTlsError } from './server-tls-errors.js';

/** A listener whose certificates can be replaced while it runs. */
export interface RtmpsListener extends Listener {
  /**
   * Reads the certificate files again (or takes `update` as the new configuration) and serves
   * the result to new connections; connections already up keep theirs. Rejects with
   * `TlsConfigurationError` if anything fails to load, and then changes nothing. Without a
   * configured certificate, it renews the development certificate if it nears expiry.
   */
  reloadCertificates(update?: ServerCertificates): Promise<void>;
}

export interface RtmpsListenerOptions {
  /** Bound already. */
  server: TlsServer;
  store: CertificateStore;
  startSession(channel: ByteChannel): Promise<IncomingSession>;
  maxPendingSessions?: number;
  onConnectionError?(error: unknown, remote: { address?: string; port?: number }): void;
  /** The server's TLS handshake timeout, for messages. */
  handshakeTimeoutMs: number;
  /** Poll the certificate files and reload when they change. */
  watch?: { intervalMs: number };
  log?: RtmpsLog;
}

const remoteKey = (socket: Socket): string => `${socket.remoteAddress}|${socket.remotePort}`;

/**
 * The RTMP listener of `@rtmpkit/rtmp` on a TLS server, plus: TLS failures reported to
 * `onConnectionError`, certificate reload (on demand or when the files change), and connections
 * still in their TLS handshake ended by `close()`.
 */
export function rtmpsListener(options: RtmpsListenerOptions): RtmpsListener {
  const { server, store, log, onConnectionError } = options;
  const inner = socketListener(server, {
    connectionEvent: 'secureConnection',
    toChannel: (socket) => socketChannel(socket, { secure: true }),
    startSession: options.startSession,
    maxPendingSessions: options.maxPendingSessions,
    onConnectionError: (error, socket) => onConnectionError?.(error, { address: socket.remoteAddress, port: socket.remotePort }),
  });

  // socketListener only sees connections that finished TLS; these have not yet.
  const handshaking = new Map<string, Socket>();
  server.on('connection', (raw: Socket) => {
    const key = remoteKey(raw);
    handshaking.set(key, raw);
    raw.once('close', () => {
      if (handshaking.get(key) === raw) handshaking.delete(key);
    });
  });
  server.on('secureConnection', (socket: TLSSocket) => handshaking.delete(remoteKey(socket)));
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    const remote = { address: socket.remoteAddress, port: socket.remotePort };
    const where = remote.address ? `${remote.address.includes(':') ? `[${remote.address}]` : remote.address}:${remote.port}` : 'a client';
    // Node leaves the socket open after some of these (a handshake timeout, for one).
    socket.destroy();
    onConnectionError?.(serverTlsError(error, where, options.handshakeTimeoutMs), remote);
  });

  let reloading: Promise<void> = Promise.resolve();
  const reloadCertificates = (update?: ServerCertificates): Promise<void> => {
    const next = reloading.then(async () => {
      try {
        await store.reload(update);
      } catch (error) {
        log?.({ level: 'error', message: `rtmps: certificates not reloaded, the previous ones stay in use: ${(error as Error).message}` });
        throw error;
      }
      server.setSecureContext(store.defaultOptions);
      watcher?.watch(store.files());
      log?.({ level: 'info', message: 'rtmps: certificates reloaded; new connections get them', details: { files: store.files() } });
    });
    reloading = next.catch(() => {});
    return next;
  };

  const watcher: CertificateWatcher | undefined = options.watch
    ? watchCertificateFiles(() => void reloadCertificates().catch(() => {}), { intervalMs: options.watch.intervalMs })
    : undefined;
  watcher?.watch(store.files());

  return {
    address: inner.address,
    [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
    reloadCertificates,
    async close() {
      watcher?.close();
      const closing = inner.close();
      for (const socket of handshaking.values()) socket.destroy();
      await closing;
    },
  };
}
