import { type ByteChannel, type ByteChannelHandlers, type PeerAddress, SessionClosedError, TimeoutError } from '@rtmpkit/core';

/** What `peekFirstByte` found: the peer's first byte, and a channel that still delivers it. */
export interface PeekedChannel {
  /** The first byte the peer sent: a client's C0 (3 = plain RTMP, 6, 8 or 9 = RTMPE). */
  readonly firstByte: number;
  /** Delivers everything `inner` received, from that first byte on, to whoever attaches. */
  readonly channel: ByteChannel;
}

/**
 * Waits for the first byte `inner` receives without consuming it, so a server can choose the
 * handshake (and the scheme it reports) by the client's C0 before any session sees a byte. The
 * returned channel replays what arrived meanwhile. Rejects, and destroys `inner`, when
 * `timeoutMs` passes first (`TimeoutError` `'handshake'`; 0 waits for ever) or `inner` closes first
 * (`SessionClosedError`, or the channel's own error).
 */
export function peekFirstByte(inner: ByteChannel, timeoutMs: number): Promise<PeekedChannel> {
  return new Promise((resolve, reject) => {
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            const error = new TimeoutError('handshake', timeoutMs, `no handshake byte in ${timeoutMs} ms`);
            reject(error);
            inner.destroy(error);
          }, timeoutMs)
        : undefined;
    const channel = new ReplayChannel(inner, {
      first: (byte) => {
        clearTimeout(timer);
        resolve({ firstByte: byte, channel });
      },
      closed: (error) => {
        clearTimeout(timer);
        reject(error ?? new SessionClosedError('the peer closed the connection before its first handshake byte'));
      },
    });
  });
}

/** Told about the first byte, or about a close before it. */
interface FirstByteWatcher {
  first(byte: number): void;
  closed(error: Error | undefined): void;
}

/** What `inner` tells the ReplayChannel: one small object rather than three closures per connection. */
class InnerHandlers implements ByteChannelHandlers {
  constructor(private readonly owner: ReplayChannel) {}

  data(bytes: Buffer): void {
    this.owner.receive(bytes);
  }

  drain(): void {
    this.owner.drained();
  }

  close(error?: Error): void {
    this.owner.innerClosed(error);
  }
}

/**
 * Attaches to `inner` at once and holds what arrives (and a close) until its own `attach`. Once
 * attached and caught up it only passes calls through; it holds nothing per connection then but
 * itself (an idle server keeps one per plain connection on an RTMPE port).
 */
class ReplayChannel implements ByteChannel {
  private handlers: ByteChannelHandlers | undefined;
  /** Bytes received before `attach` or while paused; made when the first must wait. */
  private held: Buffer[] | undefined;
  private closedWith: { error: Error | undefined } | undefined;
  private paused = false;
  private watcher: FirstByteWatcher | undefined;

  constructor(
    private readonly inner: ByteChannel,
    watcher: FirstByteWatcher,
  ) {
    this.watcher = watcher;
    inner.attach(new InnerHandlers(this));
  }

  get writableLength(): number {
    return this.inner.writableLength;
  }

  get remote(): PeerAddress {
    return this.inner.remote;
  }

  get secure(): boolean {
    return this.inner.secure;
  }

  write(bytes: Uint8Array): boolean {
    return this.inner.write(bytes);
  }

  cork(): void {
    this.inner.cork?.();
  }

  uncork(): void {
    this.inner.uncork?.();
  }

  end(): void {
    this.inner.end();
  }

  destroy(error?: Error): void {
    this.inner.destroy(error);
  }

  pause(): void {
    this.paused = true;
    this.inner.pause();
  }

  resume(): void {
    this.paused = false;
    this.flush();
    if (!this.paused) this.inner.resume();
  }

  attach(handlers: ByteChannelHandlers): void {
    if (this.handlers) throw new Error('attach() was already called');
    this.handlers = handlers;
    this.flush();
  }

  /** `inner` delivered bytes. */
  receive(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const watcher = this.watcher;
    this.watcher = undefined;
    if (this.handlers && !this.paused && this.held === undefined) this.handlers.data(bytes);
    else (this.held ??= []).push(bytes);
    watcher?.first(bytes[0]!);
  }

  drained(): void {
    this.handlers?.drain();
  }

  /** `inner` closed. */
  innerClosed(error: Error | undefined): void {
    const watcher = this.watcher;
    this.watcher = undefined;
    watcher?.closed(error);
    // Attached: told at once, as a socket would (held bytes no longer matter).
    if (this.handlers) this.handlers.close(error);
    else this.closedWith = { error };
  }

  /** Delivers what is held while attached and not paused; a close from before `attach` follows the bytes. */
  private flush(): void {
    const held = this.held;
    while (this.handlers && !this.paused && held !== undefined && held.length > 0) this.handlers.data(held.shift()!);
    // Caught up: let the array go (a paused channel that got new bytes meanwhile has a new one).
    if (this.held === held && held !== undefined && held.length === 0) this.held = undefined;
    if (!this.handlers || !this.closedWith) return;
    const { error } = this.closedWith;
    this.closedWith = undefined;
    this.handlers.close(error);
  }
}
