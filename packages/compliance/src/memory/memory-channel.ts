import type { ByteChannel, ByteChannelHandlers, PeerAddress } from '@rtmpkit/core';

/**
 * Two connected in-memory `ByteChannel`s. Writes are delivered asynchronously (as a socket
 * would), `write` returns false above `highWaterMark` unread bytes, and `pause` really stops
 * delivery, so backpressure behaves as on a network.
 */
export function memoryChannelPair(options: { highWaterMark?: number } = {}): [ByteChannel, ByteChannel] {
  const highWaterMark = options.highWaterMark ?? 64 * 1024;
  const a = new MemoryChannel({ address: 'memory-a', port: 1, family: 'other' }, highWaterMark);
  const b = new MemoryChannel({ address: 'memory-b', port: 2, family: 'other' }, highWaterMark);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryChannel implements ByteChannel {
  peer!: MemoryChannel;
  readonly secure = false;
  private handlers: ByteChannelHandlers | undefined;
  /** Bytes written to this side by the peer, not yet delivered. */
  private readonly inbox: Buffer[] = [];
  private inboxBytes = 0;
  private paused = false;
  private closed = false;
  private ending = false;
  private needDrain = false;
  private scheduled = false;
  private peerGone = false;

  constructor(
    readonly remote: PeerAddress,
    private readonly highWaterMark: number,
  ) {}

  /** What this side wrote that the peer has not taken yet. */
  get writableLength(): number {
    return this.peer.inboxBytes;
  }

  attach(handlers: ByteChannelHandlers): void {
    this.handlers = handlers;
    this.schedule();
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.ending) return false;
    this.peer.receive(Buffer.from(bytes));
    const ok = this.writableLength < this.highWaterMark;
    if (!ok) this.needDrain = true;
    return ok;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.peer.peerEnded();
    this.schedule();
  }

  destroy(error?: Error): void {
    this.finish(error);
  }

  private receive(bytes: Buffer): void {
    if (this.closed) return;
    this.inbox.push(bytes);
    this.inboxBytes += bytes.length;
    this.schedule();
  }

  private peerEnded(): void {
    this.peerGone = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.handlers) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.deliver();
    });
  }

  private deliver(): void {
    const handlers = this.handlers;
    if (!handlers || this.closed) return;
    while (!this.paused && this.inbox.length > 0 && !this.closed) {
      const bytes = this.inbox.shift()!;
      this.inboxBytes -= bytes.length;
      handlers.data(bytes);
    }
    // The peer waits for 'drain' once what it wrote to us has been taken.
    if (this.inboxBytes === 0) this.peer.drained();
    if (this.peerGone && this.inbox.length === 0) this.finish();
    else if (this.ending && this.writableLength === 0) this.peer.schedule();
  }

  private drained(): void {
    if (!this.needDrain || this.closed) return;
    this.needDrain = false;
    this.handlers?.drain();
  }

  private finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    this.inboxBytes = 0;
    this.handlers?.close(error);
    // Like TCP without half-open: once one side is gone, the other closes too.
    this.peer.peerEnded();
  }
}
