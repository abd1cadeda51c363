import type { AmfValue } from '../../src/amf/amf-value.js';
import { ChunkDecoder, ChunkEncoder } from '../../src/chunk/index.js';
import { ClientHandshake, ServerHandshake } from '../../src/handshake/index.js';
import { decodeCommand, type RtmpCommand } from '../../src/message/index.js';
import type { RtmpMessage } from '../../src/message/rtmp-message.js';
import type { ByteChannel, ByteChannelHandlers, PeerAddress } from '../../src/session/byte-channel.js';
import { startClientSession, startServerSession } from '../../src/session/index.js';
import type { ClientSessionOptions, IncomingSession, ServerSessionOptions, Session } from '../../src/session/index.js';

export interface ChannelPairOptions {
  /**
   * Bytes a side may hold unread (written but not yet delivered to the peer) before `write`
   * returns false. Default 64 KiB, like a socket's buffer.
   */
  highWaterMark?: number;
  /** Split every delivery into pieces of at most this many bytes (default: deliver writes whole). */
  maxDelivery?: number;
  secure?: boolean;
}

/** What the test can see and do on one side besides the `ByteChannel` interface. */
export interface TestChannel extends ByteChannel {
  /** Bytes this side wrote, in order (copies). */
  readonly written: Buffer[];
  /** Total bytes this side wrote. */
  readonly bytesWritten: number;
  /** Total bytes delivered to this side's handlers. */
  readonly bytesDelivered: number;
  readonly paused: boolean;
  readonly closed: boolean;
  readonly closeError: Error | undefined;
  /** Largest `writableLength` seen. */
  readonly maxWritableLength: number;
  /** Delivers bytes to this side as if the peer had written them (bypasses the peer). */
  inject(bytes: Uint8Array): void;
  /** Simulates the network stalling: nothing this side writes reaches the peer until `unstall`. */
  stall(): void;
  unstall(): void;
}

const EMPTY_HANDLERS: ByteChannelHandlers = { data() {}, drain() {}, close() {} };

class MemoryChannel implements TestChannel {
  peer!: MemoryChannel;
  readonly written: Buffer[] = [];
  bytesWritten = 0;
  bytesDelivered = 0;
  maxWritableLength = 0;
  paused = false;
  closed = false;
  closeError: Error | undefined;

  private handlers: ByteChannelHandlers = EMPTY_HANDLERS;
  private attached = false;
  /** Bytes written by this side that the peer has not taken yet. */
  private readonly outbound: Buffer[] = [];
  private outboundBytes = 0;
  private needDrain = false;
  private ending = false;
  private stalled = false;
  private flushScheduled = false;
  /** Bytes waiting to be delivered to this side while paused or before attach. */
  private readonly inbound: Buffer[] = [];

  constructor(
    readonly remote: PeerAddress,
    readonly secure: boolean,
    private readonly highWaterMark: number,
    private readonly maxDelivery: number,
  ) {}

  get writableLength(): number {
    return this.outboundBytes;
  }

  attach(handlers: ByteChannelHandlers): void {
    if (this.attached) throw new Error('attach() called twice');
    this.attached = true;
    this.handlers = handlers;
    this.scheduleDeliver();
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.ending) return false;
    const copy = Buffer.from(bytes);
    this.written.push(copy);
    this.bytesWritten += copy.length;
    this.outbound.push(copy);
    this.outboundBytes += copy.length;
    this.maxWritableLength = Math.max(this.maxWritableLength, this.outboundBytes);
    this.scheduleFlush();
    const ok = this.outboundBytes < this.highWaterMark;
    if (!ok) this.needDrain = true;
    return ok;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.scheduleDeliver();
    this.peer.scheduleFlush();
  }

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.scheduleFlush();
  }

  destroy(error?: Error): void {
    if (this.closed) return;
    this.outbound.length = 0;
    this.outboundBytes = 0;
    this.finish(error);
    // The peer sees the connection drop without an error of its own (a reset looks like an end).
    this.peer.peerGone();
  }

  inject(bytes: Uint8Array): void {
    this.inbound.push(Buffer.from(bytes));
    this.scheduleDeliver();
  }

  stall(): void {
    this.stalled = true;
  }

  unstall(): void {
    this.stalled = false;
    this.scheduleFlush();
  }

  /** Moves this side's outbound bytes to the peer's inbound queue, as far as the peer takes them. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed) return;
    if (!this.stalled && !this.peer.closed) {
      // The peer takes bytes only while it is not paused: a paused reader stops the flow, and
      // our outbound queue (writableLength) grows as a socket's would.
      while (this.outbound.length > 0 && !this.peer.paused) {
        const chunk = this.outbound.shift()!;
        this.outboundBytes -= chunk.length;
        this.peer.inbound.push(chunk);
      }
      this.peer.scheduleDeliver();
    }
    if (this.needDrain && this.outboundBytes < this.highWaterMark) {
      this.needDrain = false;
      this.handlers.drain();
    }
    if (this.ending && this.outbound.length === 0) {
      this.finish(undefined);
      this.peer.peerGone();
    }
  }

  private deliverScheduled = false;

  private scheduleDeliver(): void {
    if (this.deliverScheduled) return;
    this.deliverScheduled = true;
    setImmediate(() => {
      this.deliverScheduled = false;
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.attached) return;
    while (this.inbound.length > 0 && !this.paused && !this.closed) {
      let chunk = this.inbound.shift()!;
      if (chunk.length > this.maxDelivery) {
        this.inbound.unshift(chunk.subarray(this.maxDelivery));
        chunk = chunk.subarray(0, this.maxDelivery);
      }
      this.bytesDelivered += chunk.length;
      this.handlers.data(chunk);
    }
    if (this.inbound.length === 0 && this.peerEnded && !this.closed) this.finish(undefined);
  }

  private peerEnded = false;

  private peerGone(): void {
    this.peerEnded = true;
    this.scheduleDeliver();
  }

  private finish(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    const handlers = this.handlers;
    this.handlers = EMPTY_HANDLERS;
    if (this.attached) setImmediate(() => handlers.close(error));
  }
}

/** Two connected in-memory byte channels: what one writes, the other receives. */
export function createChannelPair(options: ChannelPairOptions = {}): [TestChannel, TestChannel] {
  const highWaterMark = options.highWaterMark ?? 64 * 1024;
  const maxDelivery = options.maxDelivery ?? Number.POSITIVE_INFINITY;
  const secure = options.secure ?? false;
  // `a` is the client's end (its remote is the server), `b` the server's.
  const a = new MemoryChannel({ address: '127.0.0.1', port: 1935, family: 'IPv4' }, secure, highWaterMark, maxDelivery);
  const b = new MemoryChannel({ address: '127.0.0.1', port: 50000, family: 'IPv4' }, secure, highWaterMark, maxDelivery);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

// ---- session helpers ------------------------------------------------------------------------

export interface ConnectedPair {
  client: Session;
  server: Session;
  incoming: IncomingSession;
  /** The client's end and the server's end. */
  clientChannel: TestChannel;
  serverChannel: TestChannel;
}

/** A client and a server session connected through an in-memory channel pair; `setup` runs before accept. */
export async function connectPair(
  options: {
    client?: Partial<ClientSessionOptions>;
    server?: ServerSessionOptions;
    channel?: ChannelPairOptions;
    setup?: (incoming: IncomingSession) => void;
    /** Passed to `accept()`. */
    acceptInfo?: Record<string, AmfValue>;
  } = {},
): Promise<ConnectedPair> {
  const [clientChannel, serverChannel] = createChannelPair(options.channel);
  const incomingPromise = startServerSession(serverChannel, options.server);
  const clientPromise = startClientSession(clientChannel, { url: 'rtmp://localhost/live', ...options.client });
  const incoming = await incomingPromise;
  options.setup?.(incoming);
  const server = await incoming.accept(options.acceptInfo);
  const client = await clientPromise;
  return { client, server, incoming, clientChannel, serverChannel };
}

/** Resolves once `predicate` holds (checked every few ms), or rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * A hand-driven peer for protocol-level tests: does its side of the handshake, then records every
 * message it receives (payloads copied) and sends whatever the test gives it, chunk-encoded.
 */
export class RawPeer {
  readonly received: RtmpMessage[] = [];
  readonly decoder = new ChunkDecoder();
  readonly encoder = new ChunkEncoder();
  handshakeDone = false;
  /** Bytes received after the handshake. */
  bytesAfterHandshake = 0;
  closed = false;
  private readonly handshake: ClientHandshake | ServerHandshake;

  constructor(
    readonly channel: TestChannel,
    readonly role: 'client' | 'server',
  ) {
    this.handshake = role === 'client' ? new ClientHandshake({ digest: false }) : new ServerHandshake();
    channel.attach({
      data: (bytes) => this.onData(bytes),
      drain: () => {},
      close: () => {
        this.closed = true;
      },
    });
    if (this.handshake instanceof ClientHandshake) channel.write(this.handshake.start());
  }

  private onData(bytes: Buffer): void {
    if (!this.handshakeDone) {
      const step = this.handshake.receive(bytes);
      for (const output of step.output) this.channel.write(output);
      if (!step.done) return;
      this.handshakeDone = true;
      bytes = step.remainder;
    }
    this.bytesAfterHandshake += bytes.length;
    this.decoder.push(bytes, (message) => {
      this.received.push({ ...message, payload: Buffer.from(message.payload) });
    });
  }

  send(message: RtmpMessage, chunkStreamId = 3): void {
    this.channel.write(this.encoder.encode(message, chunkStreamId));
  }

  /** Sends Set Chunk Size and switches the encoder. */
  setChunkSize(size: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(size);
    this.send({ type: 1, streamId: 0, timestamp: 0, payload }, 2);
    this.encoder.setChunkSize(size);
  }

  commands(): RtmpCommand[] {
    return this.received.filter((m) => m.type === 20 || m.type === 17).map((m) => decodeCommand(m));
  }

  async waitFor(predicate: (message: RtmpMessage) => boolean, timeoutMs = 2000): Promise<RtmpMessage> {
    let found: RtmpMessage | undefined;
    await until(() => (found = this.received.find(predicate)) !== undefined, timeoutMs, 'a message');
    return found!;
  }

  async waitForCommand(name: string, timeoutMs = 2000): Promise<RtmpCommand> {
    await until(() => this.commands().some((c) => c.name === name), timeoutMs, `command ${name}`);
    return this.commands().find((c) => c.name === name)!;
  }
}

/** Every message a session wrote to `channel` after the handshake (C0+C1+C2 or S0+S1+S2: 3073 bytes). */
export function wireMessages(channel: TestChannel): RtmpMessage[] {
  const bytes = Buffer.concat(channel.written).subarray(1 + 2 * 1536);
  const messages: RtmpMessage[] = [];
  new ChunkDecoder({ maxChunkStreams: 1000 }).push(bytes, (message) => messages.push({ ...message, payload: Buffer.from(message.payload) }));
  return messages;
}
