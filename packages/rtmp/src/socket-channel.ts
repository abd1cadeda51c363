import type { Socket } from 'node:net';
import type { ByteChannel, ByteChannelHandlers, PeerAddress } from '@rtmpkit/core';

/**
 * Adapts a connected `net.Socket` (or a `tls.TLSSocket`, which is one) to the session's
 * `ByteChannel`. Nothing RTMP-specific happens here.
 */
export function socketChannel(socket: Socket, options: { secure?: boolean } = {}): ByteChannel {
  let failure: Error | undefined;
  socket.setNoDelay(true);
  // Errors arrive before 'close'; keep the first one so 'close' can report why. EPIPE and
  // ECONNRESET only mean the peer is gone (a write raced with its hang-up): the session judges
  // from the protocol state whether that hang-up was orderly (between messages) or not.
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
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
    remote: peerAddress(socket),
    secure: options.secure ?? false,
  };
}

function peerAddress(socket: Socket): PeerAddress {
  const family = socket.remoteFamily === 'IPv4' || socket.remoteFamily === 'IPv6' ? socket.remoteFamily : 'other';
  return { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, family };
}
