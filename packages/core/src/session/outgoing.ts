import { ChunkEncoder, encodeMessageChunks } from '../chunk/index.js';
import { LimitExceededError, SessionClosedError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { ByteChannel } from './byte-channel.js';
import { encodeSetChunkSize } from './codec.js';
import { CONTROL_CHUNK_STREAM } from './chunk-streams.js';

const RESOLVED = Promise.resolve();

/** Held (coalesced) bytes are flushed at once past this: such writes are large already. */
export const COALESCE_FLUSH_BYTES = 64 * 1024;

// A module function rather than a bound method: no closure per connection.
function flushOutgoing(outgoing: Outgoing): void {
  outgoing.flush();
}

/**
 * Bytes pre-encoded for several connections (fan-out): one entry per chunk stream, message stream
 * and chunk size, filled by the first connection that needs it. Make one per message.
 */
export type SharedEncoding = Map<number | string, Buffer>;

/** The `SharedEncoding` key: a number when the parts fit in 53 bits (always, in practice), as numbers hash for free. */
function sharedKey(chunkStreamId: number, streamId: number, chunkSize: number): number | string {
  if (streamId < 0x2000 && chunkStreamId < 0x10000 && chunkSize < 0x1000000) return (streamId * 0x10000 + chunkStreamId) * 0x1000000 + chunkSize;
  return `${chunkStreamId}:${streamId}:${chunkSize}`;
}

/**
 * The sending half of a session: chunk-encodes messages, writes them to the channel, and tells
 * writers when to wait. Writes never queue here; the channel holds what the network has not
 * taken, and `waitDrain()` waits until it says it can take more. Past `maxOutgoingBytes` held by
 * the channel, the session fails (`onLimit`) instead of buffering without bound.
 */
export class Outgoing {
  private readonly encoder = new ChunkEncoder();
  private drainWaiter: Promise<void> | undefined;
  private resolveDrain: (() => void) | undefined;
  private rejectDrain: ((error: Error) => void) | undefined;
  private needDrain = false;
  private failure: Error | undefined;
  /** Bytes waiting for `flush()` (coalesced writes), in order, and their total. */
  private held: Uint8Array[] | undefined;
  private heldBytes = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly channel: ByteChannel,
    private readonly maxOutgoingBytes: number,
    private readonly onLimit: (error: Error) => void,
  ) {}

  /** The outgoing chunk size in force. */
  get chunkSize(): number {
    return this.encoder.chunkSize;
  }

  /** True once the channel asked writers to wait and has not drained since. */
  get blocked(): boolean {
    return this.needDrain;
  }

  /** The error the writer stopped with, if it did. */
  get stopped(): Error | undefined {
    return this.failure;
  }

  /**
   * Sends `message` on `chunkStreamId`. Returns false when the writer should `waitDrain()`.
   * With `coalesceMs` > 0 the bytes may wait that long to be written together with later ones
   * (see `write`).
   */
  send(message: RtmpMessage, chunkStreamId: number, coalesceMs = 0): boolean {
    if (this.failure) return false;
    return this.write(this.encoder.encode(message, chunkStreamId), coalesceMs);
  }

  /**
   * Sends `message` with bytes shared between connections (`encodeMessageChunks`), encoding them
   * into `shared` if no connection with the same chunk size did so yet.
   */
  sendShared(message: RtmpMessage, chunkStreamId: number, shared: SharedEncoding, coalesceMs = 0): boolean {
    if (this.failure) return false;
    const size = this.encoder.chunkSize;
    const key = sharedKey(chunkStreamId, message.streamId, size);
    let bytes = shared.get(key);
    if (bytes === undefined) {
      bytes = encodeMessageChunks(message, chunkStreamId, size);
      shared.set(key, bytes);
    }
    this.encoder.recordSent(message, chunkStreamId);
    return this.write(bytes, coalesceMs);
  }

  /** Sends Set Chunk Size, then uses the new size for everything after it. */
  setChunkSize(size: number): boolean {
    const ok = this.send(encodeSetChunkSize(size), CONTROL_CHUNK_STREAM);
    this.encoder.setChunkSize(size);
    return ok;
  }

  /** Bytes handed to the channel since the session started, handshake included. */
  bytesWritten = 0;

  /**
   * Writes bytes (raw for the handshake, or encoded chunks). With `coalesceMs` > 0 they are held
   * and written with everything held after them by one `flush()` at most that many ms later:
   * fewer, larger writes cost far less system time when one message goes to many connections
   * (this is what SRS calls merged writes). A write without `coalesceMs` flushes what is held
   * first, so order is kept and control messages never wait.
   */
  write(bytes: Uint8Array, coalesceMs = 0): boolean {
    if (this.failure) return false;
    const held = this.channel.writableLength + this.heldBytes;
    // One message alone may be larger than the limit (up to 16 MiB); it only waits behind nothing.
    if (held > 0 && held + bytes.length > this.maxOutgoingBytes) {
      const error = new LimitExceededError(
        'maxOutgoingBytes',
        this.maxOutgoingBytes,
        `${held + bytes.length} bytes waiting to be sent (the peer reads too slowly)`,
      );
      this.onLimit(error);
      return false;
    }
    this.bytesWritten += bytes.length;
    if (coalesceMs > 0) {
      (this.held ??= []).push(bytes);
      this.heldBytes += bytes.length;
      if (this.heldBytes >= COALESCE_FLUSH_BYTES) this.flush();
      else this.flushTimer ??= setTimeout(flushOutgoing, coalesceMs, this);
      return !this.needDrain;
    }
    if (this.held) this.flush();
    const ok = this.channel.write(bytes);
    if (!ok) this.needDrain = true;
    return ok;
  }

  /** Bytes held by coalesced writes, not yet handed to the channel. */
  get heldLength(): number {
    return this.heldBytes;
  }

  /** Hands every held byte to the channel now, in one corked batch when the channel can cork. */
  flush(): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const held = this.held;
    if (!held || this.failure) return;
    this.held = undefined;
    this.heldBytes = 0;
    const channel = this.channel;
    let ok = true;
    if (held.length === 1) {
      ok = channel.write(held[0]!);
    } else {
      channel.cork?.();
      for (const bytes of held) ok = channel.write(bytes);
      channel.uncork?.();
    }
    if (!ok) this.needDrain = true;
  }

  /** Resolves once the channel drained (at once if it is not full); rejects when the session closes. */
  waitDrain(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.needDrain) return RESOLVED;
    this.drainWaiter ??= new Promise<void>((resolve, reject) => {
      this.resolveDrain = resolve;
      this.rejectDrain = reject;
    });
    return this.drainWaiter;
  }

  /** The channel's `drain`. */
  drained(): void {
    this.needDrain = false;
    const resolve = this.resolveDrain;
    this.drainWaiter = this.resolveDrain = this.rejectDrain = undefined;
    resolve?.();
  }

  /** Stops writing; writers waiting for drain get `error` (a `SessionClosedError`). */
  stop(error: Error = new SessionClosedError()): void {
    if (this.failure) return;
    this.failure = error;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = this.held = undefined;
    this.heldBytes = 0;
    const reject = this.rejectDrain;
    this.drainWaiter = this.resolveDrain = this.rejectDrain = undefined;
    reject?.(error);
  }
}
