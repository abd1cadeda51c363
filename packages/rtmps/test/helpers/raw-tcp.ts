import { connect } from 'node:net';
import type { Listener } from '@rtmpkit/core';

/**
 * Writes raw bytes to the listener over plain TCP (no TLS) and resolves when the server closes
 * the socket; rejects if it keeps it open for `timeoutMs`.
 */
export function sendRaw(listener: Listener, bytes: Buffer, options: { hangUp?: boolean; timeoutMs?: number } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: listener.address.address, port: listener.address.port }, () => {
      socket.write(bytes);
      if (options.hangUp) socket.destroy();
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a garbage connection open for ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') return; // 'close' follows
      clearTimeout(timer);
      reject(error);
    });
    socket.resume();
  });
}
