import type { Socket } from 'node:net';
import type { ByteChannel, ByteChannelHandlers, PeerAddress } from '@rtmpkit/core';

/**
 * Adapts a connected `net.Socket` (or a `tls.TLSSocket`, which is one) to the session's
 * `ByteChannel`. Nothing RTMP-specific happens here.
 */
export function socketChannel(socket: Socket, options: { secure?: boolean } = {}): ByteChannel {
  return new SocketChannel(socket, options.secure ?? false);
}

/**
 * A class rather than an object literal: an idle server holds one per connection, and methods on
 * the prototype cost nothing per connection where closures in a literal would.
 */
class SocketChannel implements ByteChannel {
  readonly remote: PeerAddress;
  private failure: Error | undefined;

  constructor(
    private readonly socket: Socket,
    readonly secure: boolean,
  ) {
    socket.setNoDelay(true);
    this.remote = peerAddress(socket);
    // Errors arrive before 'close'; keep the first one so 'close' can report why. EPIPE and
    // ECONNRESET only mean the peer is gone (a write raced with its hang-up): the session judges
    // from the protocol state whether that hang-up was orderly (between messages) or not.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      this.failure ??= error;
    });
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  write(bytes: Uint8Array): boolean {
    return this.socket.write(bytes);
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  end(): void {
    this.socket.end();
  }

  destroy(error?: Error): void {
    this.socket.destroy(error);
  }

  attach(handlers: ByteChannelHandlers): void {
    this.socket.on('data', (bytes: Buffer) => handlers.data(bytes));
    this.socket.on('drain', () => handlers.drain());
    this.socket.on('close', () => handlers.close(this.failure));
  }
}

function peerAddress(socket: Socket): PeerAddress {
  const family = socket.remoteFamily === 'IPv4' || socket.remoteFamily === 'IPv6' ? socket.remoteFamily : 'other';
  return { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, family };
}
