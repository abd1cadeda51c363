import type { Socket } from 'node:net';
import type { ByteChannel, ByteChannelHandlers } from '@rtmpkit/core';

/** A connected socket as a ByteChannel (what the @rtmpkit/rtmp transport does, kept local to the tests). */
export function socketChannel(socket: Socket): ByteChannel {
  let failure: Error | undefined;
  socket.on('error', (error) => {
    failure ??= error;
  });
  return {
    write: (bytes) => socket.write(bytes),
    get writableLength() {
      return socket.writableLength;
    },
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    end: () => void socket.end(),
    destroy: (error) => void socket.destroy(error),
    attach(handlers: ByteChannelHandlers) {
      socket.on('data', (bytes: Buffer) => handlers.data(bytes));
      socket.on('drain', () => handlers.drain());
      socket.on('close', () => handlers.close(failure));
    },
    remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, family: 'IPv4' },
    secure: false,
  };
}
