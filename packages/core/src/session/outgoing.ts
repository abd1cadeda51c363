import { ChunkEncoder, encodeMessageChunks } from '../chunk/index.js';
import { LimitExceededError, SessionClosedError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { ByteChannel } from './byte-channel.js';
import { encodeSetChunkSize } from './codec.js';
import { CONTROL_CHUNK_STREAM } from './chunk-streams.js';

const RESOLVED = Promise.resolve();

/**
 * Bytes pre-encoded for several connections (fan-out): one entry per chunk stream, message stream
 * and chunk size, filled by the first connection that needs it. Make one per message.
 */
export type SharedEncoding = Map<string, Buffer>;

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

  /** Sends `message` on `chunkStreamId`. Returns false when the writer should `waitDrain()`. */
  send(message: RtmpMessage, chunkStreamId: number): boolean {
    if (this.failure) return false;
    return this.write(this.encoder.encode(message, chunkStreamId));
  }

  /**
   * Sends `message` with bytes shared between connections (`encodeMessageChunks`), encoding them
   * into `shared` if no connection with the same chunk size did so yet.
   */
  sendShared(message: RtmpMessage, chunkStreamId: number, shared: SharedEncoding): boolean {
    if (this.failure) return false;
    const size = this.encoder.chunkSize;
    const key = `${chunkStreamId}:${message.streamId}:${size}`;
    let bytes = shared.get(key);
    if (bytes === undefined) {
      bytes = encodeMessageChunks(message, chunkStreamId, size);
      shared.set(key, bytes);
    }
    this.encoder.recordSent(message, chunkStreamId);
    return this.write(bytes);
  }

  /** Sends Set Chunk Size, then uses the new size for everything after it. */
  setChunkSize(size: number): boolean {
    const ok = this.send(encodeSetChunkSize(size), CONTROL_CHUNK_STREAM);
    this.encoder.setChunkSize(size);
    return ok;
  }

  /** Bytes handed to the channel since the session started, handshake included. */
  bytesWritten = 0;

  /** Writes raw bytes (the handshake). */
  write(bytes: Uint8Array): boolean {
    if (this.failure) return false;
    const held = this.channel.writableLength;
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
    const ok = this.channel.write(bytes);
    if (!ok) this.needDrain = true;
    return ok;
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
    const reject = this.rejectDrain;
    this.drainWaiter = this.resolveDrain = this.rejectDrain = undefined;
    reject?.(error);
  }
}
