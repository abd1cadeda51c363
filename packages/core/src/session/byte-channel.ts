/**
 * The only thing a session knows about the network: an ordered, reliable, bidirectional byte
 * stream. A TCP socket, a TLS socket, an RC4-wrapped socket and an HTTP tunnel all look like
 * this. Transports adapt their I/O to it; the session never sees a socket type.
 */
export interface ByteChannel {
  /**
   * Queues bytes for sending. Returns false when the channel's buffer is above its high-water
   * mark; the writer should then wait for `onDrain` before writing more.
   */
  write(bytes: Uint8Array): boolean;
  /**
   * Optional: hold the writes that follow until `uncork()`, then send them with one system call
   * (a socket's `cork`). Sessions use it to write several messages at once; a channel without
   * it just writes them one by one.
   */
  cork?(): void;
  uncork?(): void;
  /** Bytes queued and not yet handed to the network. */
  readonly writableLength: number;
  /** Stops delivering `onData` until `resume()`: read-side backpressure. */
  pause(): void;
  resume(): void;
  /** Flushes what is queued, then closes. */
  end(): void;
  /** Closes at once; queued bytes may be lost. */
  destroy(error?: Error): void;
  /** Installs the session's handlers; called once, before any byte is delivered. */
  attach(handlers: ByteChannelHandlers): void;
  /** Where the peer is, for logs and auth hooks. */
  readonly remote: PeerAddress;
  /** True when the bytes are protected on the wire (TLS). RTMPE is obfuscation, not protection. */
  readonly secure: boolean;
}

export interface ByteChannelHandlers {
  data(bytes: Buffer): void;
  drain(): void;
  /** The channel closed; `error` is set when it closed because something failed. */
  close(error?: Error): void;
}

export interface PeerAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6' | 'other';
}
