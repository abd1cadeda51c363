import type { ByteChannel, ByteChannelHandlers } from '@rtmpkit/core';

/** A ByteChannel in memory: records writes, lets the test push incoming bytes and watch pause/destroy. */
export class FakeChannel implements ByteChannel {
  readonly written: Buffer[] = [];
  handlers: ByteChannelHandlers | undefined;
  paused = false;
  destroyed: Error | undefined | null = null;
  ended = false;
  writableLength = 0;
  readonly remote = { address: '127.0.0.1', port: 1, family: 'IPv4' as const };
  readonly secure = false;

  write(bytes: Uint8Array): boolean {
    this.written.push(Buffer.from(bytes));
    return true;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  end(): void {
    this.ended = true;
  }
  destroy(error?: Error): void {
    this.destroyed = error;
    this.handlers?.close(error);
  }
  attach(handlers: ByteChannelHandlers): void {
    this.handlers = handlers;
  }
  /** Delivers bytes as the network would. */
  push(bytes: Uint8Array): void {
    this.handlers!.data(Buffer.from(bytes));
  }
  /** Everything written so far, joined. */
  get sent(): Buffer {
    return Buffer.concat(this.written);
  }
}
