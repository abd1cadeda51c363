import { ecmaArray, type AmfValue } from '../amf/amf-value.js';
import { SessionClosedError, StreamRejectedError, TimeoutError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import { isStreamPayloadType, type UserControlMessage } from './codec.js';
import { MediaQueue } from './media-queue.js';
import type { SharedEncoding } from './outgoing.js';
import type {
  NetStream,
  NetStreamMode,
  PlayOptions,
  PublishType,
  SendOptions,
  Session,
  StatusInfo,
  StreamEndEvent,
} from './session-types.js';
import { StatusCode, statusInfo } from './status.js';

/** What a NetStream needs of its session. */
export interface StreamHost {
  readonly session: Session;
  readonly role: 'client' | 'server';
  readonly callTimeout: number;
  /** Sends a message of this stream; false when the writer should wait for drain. Throws SessionClosedError when closed. */
  sendStreamMessage(message: RtmpMessage, shared?: SharedEncoding, coalesceMs?: number): boolean;
  sendCommand(name: string, transactionId: number, commandObject: AmfValue, args: AmfValue[], streamId: number): boolean;
  sendUserControl(event: UserControlMessage): boolean;
  /** `amf0` forces type 18 whatever the objectEncoding. */
  sendDataMessage(streamId: number, name: string, values: AmfValue[], timestamp: number, amf0?: boolean): boolean;
  /** Resolves when the channel can take more. */
  waitDrain(): Promise<void>;
  nextTransactionId(): number;
  /** Calls `onError` if the peer answers transaction `id` with `_error`; returns the unwatch function. */
  watchTransaction(id: number, onError: (details: { commandObject: AmfValue; args: AmfValue[] }) => void): () => void;
  newQueue(): MediaQueue;
  /** The stream is gone (removes it from the session). */
  forget(stream: RtmpNetStream): void;
  /** A publish or play ended (server: tells the application). */
  ended(event: StreamEndEvent): void;
}

interface StatusWaiter {
  success: string;
  resolve(): void;
  reject(error: Error): void;
}

/** What `send` returns when the channel took the message and can take more (one promise for all). */
const SENT = Promise.resolve();

function playStartOnWire(start: number): number {
  if (start === -2) return -2000;
  if (start === -1) return -1000;
  return start;
}

/** One NetStream, client or server side. */
export class RtmpNetStream implements NetStream {
  mode: NetStreamMode = 'idle';
  name: string | undefined;
  paused = false;
  audioEnabled = true;
  videoEnabled = true;
  readonly closed: Promise<void>;
  private isClosed = false;
  private resolveClosed!: () => void;
  private queue: MediaQueue;
  private readonly listeners = new Set<(info: StatusInfo) => void>();
  private waiter: StatusWaiter | undefined;

  constructor(
    readonly id: number,
    private readonly host: StreamHost,
  ) {
    this.queue = host.newQueue();
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  get session(): Session {
    return this.host.session;
  }

  get isGone(): boolean {
    return this.isClosed;
  }

  [Symbol.asyncIterator](): AsyncIterator<RtmpMessage> {
    return this.queue.reattach();
  }

  // ---- client requests -------------------------------------------------------------------

  async publish(name: string, type: PublishType = 'live'): Promise<void> {
    this.assertClient('publish');
    this.assertIdle();
    this.begin('publishing', name);
    const transactionId = this.host.nextTransactionId();
    const started = this.expectStatus(StatusCode.PublishStart, transactionId, 'publish');
    try {
      this.host.sendCommand('publish', transactionId, null, [name, type], this.id);
    } catch (error) {
      this.waiter?.reject(error as Error);
    }
    await this.settleStart(started);
  }

  async play(name: string, options: PlayOptions = {}): Promise<void> {
    this.assertClient('play');
    this.assertIdle();
    this.begin('playing', name);
    const transactionId = this.host.nextTransactionId();
    const started = this.expectStatus(StatusCode.PlayStart, transactionId, 'play');
    const args: AmfValue[] = [name, playStartOnWire(options.start ?? -2)];
    if (options.duration !== undefined || options.reset !== undefined) args.push(options.duration ?? -1);
    if (options.reset !== undefined) args.push(options.reset);
    try {
      this.host.sendCommand('play', transactionId, null, args, this.id);
      this.host.sendUserControl({ kind: 'SetBufferLength', streamId: this.id, bufferLength: options.bufferLength ?? 3000 });
    } catch (error) {
      this.waiter?.reject(error as Error);
    }
    await this.settleStart(started);
  }

  pause(paused: boolean, positionMs: number): Promise<void> {
    return this.clientCommand('pause', [paused, positionMs]);
  }

  seek(positionMs: number): Promise<void> {
    return this.clientCommand('seek', [positionMs]);
  }

  receiveAudio(enabled: boolean): Promise<void> {
    return this.clientCommand('receiveAudio', [enabled]);
  }

  receiveVideo(enabled: boolean): Promise<void> {
    return this.clientCommand('receiveVideo', [enabled]);
  }

  // ---- sending ---------------------------------------------------------------------------

  send(message: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>, options: SendOptions = {}): Promise<void> {
    if (!isStreamPayloadType(message.type)) {
      return Promise.reject(new RangeError(`NetStream.send takes audio, video, data or aggregate messages, not type ${message.type}`));
    }
    if (this.isClosed) return Promise.reject(new SessionClosedError(`stream ${this.id} is closed`));
    if (this.host.role === 'server' && ((message.type === 8 && !this.audioEnabled) || (message.type === 9 && !this.videoEnabled))) {
      return Promise.resolve();
    }
    const outgoing: RtmpMessage = { type: message.type, streamId: this.id, timestamp: message.timestamp >>> 0, payload: message.payload };
    try {
      if (this.host.sendStreamMessage(outgoing, options.shared, options.coalesceMs)) return SENT;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.host.waitDrain();
  }

  sendData(name: string, values: AmfValue[], timestamp = 0): Promise<void> {
    return this.written(() => this.host.sendDataMessage(this.id, name, values, timestamp));
  }

  /** Always AMF0 (type 18): onMetaData is an AMF0 ECMA array for every server and player (E-RTMP requires it). */
  sendMetadata(metadata: Record<string, AmfValue>, timestamp = 0): Promise<void> {
    const array = ecmaArray(metadata);
    return this.host.role === 'client'
      ? this.written(() => this.host.sendDataMessage(this.id, '@setDataFrame', ['onMetaData', array], timestamp, true))
      : this.written(() => this.host.sendDataMessage(this.id, 'onMetaData', [array], timestamp, true));
  }

  sendStatus(info: StatusInfo): Promise<void> {
    return this.written(() => this.host.sendCommand('onStatus', 0, null, [info], this.id));
  }

  onStatus(listener: (info: StatusInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    if (this.host.role === 'client') {
      this.sendCloseCommands();
    } else if (this.mode === 'playing') {
      this.host.sendUserControl({ kind: 'StreamEof', streamId: this.id });
      this.host.sendCommand('onStatus', 0, null, [statusInfo('status', StatusCode.PlayStop, `Stopped playing ${this.name}.`, { details: this.name ?? '' })], this.id);
    } else if (this.mode === 'publishing') {
      this.host.sendCommand('onStatus', 0, null, [statusInfo('status', StatusCode.UnpublishSuccess, `${this.name} is now unpublished.`, { details: this.name ?? '' })], this.id);
    }
    this.gone(undefined);
    await this.host.waitDrain().catch(() => {});
  }

  /** Client: what an orderly close sends for this stream (also used when the session closes). */
  sendCloseCommands(): void {
    if (this.mode === 'publishing' && this.name !== undefined) {
      this.host.sendCommand('FCUnpublish', this.host.nextTransactionId(), null, [this.name], 0);
    }
    if (this.mode !== 'idle') this.host.sendCommand('closeStream', 0, null, [], this.id);
    this.host.sendCommand('deleteStream', 0, null, [this.id], 0);
  }

  // ---- incoming --------------------------------------------------------------------------

  /** Media or data for this stream (only taken while publishing, server side, or playing, client side). */
  incoming(message: RtmpMessage): void {
    const wanted = this.host.role === 'server' ? 'publishing' : 'playing';
    if (this.mode === wanted) this.queue.push(message);
  }

  /** An `onStatus` the peer sent on this stream. */
  status(info: StatusInfo): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(info);
      } catch {
        // A listener's bug must not break the session.
      }
    }
    const waiter = this.waiter;
    if (waiter) {
      if (info.code === waiter.success) waiter.resolve();
      else if (info.level === 'error') waiter.reject(new StreamRejectedError(info.code, info.description, info));
    } else if (this.host.role === 'client' && this.mode === 'playing' && info.code === StatusCode.PlayStop) {
      this.stop(undefined); // FFmpeg ends playback on Play.Stop too
    }
  }

  /** Server side: the buffer the player said it keeps (User Control SetBufferLength), in ms. */
  peerBufferLength: number | undefined;

  /** A User Control event about this stream. */
  userControl(event: UserControlMessage): void {
    if (event.kind === 'SetBufferLength' && this.host.role === 'server') this.peerBufferLength = event.bufferLength;
  }

  /** Server side: a publish or play starts (before the application decides). */
  begin(mode: 'publishing' | 'playing', name: string): void {
    if (this.queue.done) this.queue = this.host.newQueue();
    this.mode = mode;
    this.name = name;
    this.paused = false;
  }

  /** The publish or play ends; the stream stays. `started` false: it was refused, nobody is told. */
  stop(error: Error | undefined, started = true): void {
    const { mode, name } = this;
    this.queue.end(error);
    this.mode = 'idle';
    this.name = undefined;
    if (started && mode !== 'idle' && name !== undefined) this.host.ended({ stream: this, name, mode, ...(error ? { error } : {}) });
  }

  /** The stream is gone: deleteStream, `close()`, or the session closed (`error` when it failed). */
  gone(error: Error | undefined): void {
    if (this.isClosed) return;
    this.stop(error);
    this.isClosed = true;
    this.waiter?.reject(error ?? new SessionClosedError(`stream ${this.id} was closed`));
    this.host.forget(this);
    this.resolveClosed();
  }

  // ---- helpers ---------------------------------------------------------------------------

  private assertClient(what: string): void {
    if (this.host.role !== 'client') throw new TypeError(`NetStream.${what} is a client request; the server answers it`);
  }

  private assertIdle(): void {
    if (this.isClosed) throw new SessionClosedError(`stream ${this.id} is closed`);
    if (this.mode !== 'idle' || this.waiter) throw new TypeError(`stream ${this.id} is already ${this.mode}`);
  }

  private async settleStart(started: Promise<void>): Promise<void> {
    try {
      await started;
    } catch (error) {
      if (!this.isClosed) {
        this.queue.end();
        this.mode = 'idle';
        this.name = undefined;
      }
      throw error;
    }
  }

  /** Waits for `success` on this stream; an error status, `_error` for `transactionId` or the call timeout reject. */
  private expectStatus(success: string, transactionId: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeoutMs = this.host.callTimeout;
      const timer = timeoutMs > 0 ? setTimeout(() => finish(new TimeoutError('call', timeoutMs, `${what}: no ${success} in ${timeoutMs} ms`)), timeoutMs) : undefined;
      const unwatch = this.host.watchTransaction(transactionId, (details) => {
        const info = details.args.find((value) => typeof value === 'object' && value !== null) as Record<string, AmfValue> | undefined;
        const code = typeof info?.code === 'string' ? info.code : StatusCode.CallFailed;
        finish(new StreamRejectedError(code, typeof info?.description === 'string' ? info.description : undefined, info));
      });
      const finish = (error?: Error): void => {
        if (this.waiter !== waiter) return;
        this.waiter = undefined;
        if (timer !== undefined) clearTimeout(timer);
        unwatch();
        if (error) reject(error);
        else resolve();
      };
      const waiter: StatusWaiter = { success, resolve: () => finish(), reject: finish };
      this.waiter = waiter;
    });
  }

  private clientCommand(name: string, args: AmfValue[]): Promise<void> {
    try {
      this.assertClient(name);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.written(() => this.host.sendCommand(name, 0, null, args, this.id));
  }

  private written(write: () => boolean): Promise<void> {
    if (this.isClosed) return Promise.reject(new SessionClosedError(`stream ${this.id} is closed`));
    try {
      return write() ? Promise.resolve() : this.host.waitDrain();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
