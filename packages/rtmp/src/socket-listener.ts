import type { Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AsyncQueue, type ByteChannel, type IncomingSession, type Listener } from '@rtmpkit/core';

export interface SocketListenerOptions {
  /** The event the server emits per ready connection: 'connection' (TCP) or 'secureConnection' (TLS). */
  connectionEvent: 'connection' | 'secureConnection';
  toChannel(socket: Socket): ByteChannel;
  /** Runs the handshake and waits for `connect`. */
  startSession(channel: ByteChannel): Promise<IncomingSession>;
  /** Sessions that reached `connect` but were not yet taken by the application (default 128). */
  maxPendingSessions?: number;
  /** Told about connections that failed before `connect` (bad handshake, garbage, timeout). */
  onConnectionError?(error: unknown, socket: Socket): void;
}

/**
 * Turns a listening `net.Server`/`tls.Server` into a `Listener`: an async iterable of incoming
 * sessions. One connection's failure never affects the others or the listener.
 */
export function socketListener(server: Server, options: SocketListenerOptions): Listener {
  const queue = new AsyncQueue<IncomingSession>(options.maxPendingSessions ?? 128);
  const sockets = new Set<Socket>();
  // One function for every socket of the listener ('close' comes once; `this` is the socket),
  // rather than a closure and a once-wrapper per connection.
  const forget = function (this: Socket): void {
    sockets.delete(this);
  };

  server.on(options.connectionEvent, (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', forget);
    const channel = options.toChannel(socket);
    options.startSession(channel).then(
      (incoming) => {
        if (!queue.push(incoming)) {
          void incoming.reject('server busy: too many connections waiting to be accepted');
        }
      },
      (error: unknown) => {
        options.onConnectionError?.(error, socket);
        socket.destroy();
      },
    );
  });

  const address = server.address() as AddressInfo;
  return {
    address: { address: address.address, port: address.port, family: address.family },
    [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    async close() {
      queue.end();
      for (const pending of queue.drain()) await pending.reject('server shutting down').catch(() => {});
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** Starts `server` listening and resolves once it is bound (or rejects, e.g. port in use). */
export function listenOn(server: Server, host: string, port: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        error.message = `port ${port} on ${host} is already in use: stop the other server or choose another port (${error.message})`;
      }
      reject(error);
    };
    server.once('error', onError);
    server.listen({ host, port, signal }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
