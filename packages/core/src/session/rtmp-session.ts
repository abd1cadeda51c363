import type { AmfValue } from '../amf/amf-value.js';
import { CommandError, LimitExceededError, SessionClosedError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { ByteChannel, PeerAddress } from './byte-channel.js';
import { chunkStreamFor } from './chunk-streams.js';
import {
  MessageType,
  commandMessage,
  dataMessage,
  decodeCommand,
  encodeUserControl,
  splitAggregate,
  type RtmpCommand,
  type UserControlMessage,
} from './codec.js';
import type { HandshakeDriver } from './handshake-driver.js';
import { MediaQueue } from './media-queue.js';
import { RtmpNetStream, type StreamHost } from './net-stream.js';
import type { SharedEncoding } from './outgoing.js';
import { SessionCore, type CoreListener } from './session-core.js';
import type { ResolvedTuning } from './session-options.js';
import type {
  CallOptions,
  CallResult,
  CommandHandler,
  ConnectInfo,
  NetStream,
  Session,
  SessionState,
  StatusInfo,
  StreamEndEvent,
  StreamRequestHandlers,
  TransportScheme,
} from './session-types.js';
import { StatusCode, statusInfo, statusOfCommand } from './status.js';
import { Transactions } from './transactions.js';

/** Commands the session answers itself; `handle()` may not take them over. */
const RESERVED_COMMANDS = new Set([
  'connect', 'createStream', 'deleteStream', 'closeStream', 'publish', 'play', 'play2', 'pause', 'seek',
  'receiveAudio', 'receiveVideo', '_result', '_error', 'onStatus',
]);

type ErrorWatcher = (details: { commandObject: AmfValue; args: AmfValue[] }) => void;

/** What `streams` shows while a session has no stream (most idle sessions never have one). */
const NO_STREAMS: ReadonlyMap<number, NetStream> = new Map();

/**
 * What both roles share: calls and their answers, command handlers, status listeners, the
 * streams, and the way messages go out. The roles add connect and the stream commands.
 */
export abstract class RtmpSession implements Session, StreamHost, CoreListener {
  abstract readonly role: 'client' | 'server';
  connectInfo!: ConnectInfo;
  connectResult: CallResult | undefined;
  /** The objectEncoding both sides agreed on: the server's answer (it may say 0 to a client that asked for 3). */
  protected objectEncoding: 0 | 3 = 0;
  protected readonly core: SessionCore;
  protected readonly transactions: Transactions;
  // The tables below are made on first use: an idle server holds thousands of sessions that
  // never handle a command, open a stream, listen for a status or watch a transaction.
  protected handlers: Map<string, CommandHandler> | undefined;
  protected streamHandlers: StreamRequestHandlers = {};
  protected streamMap: Map<number, RtmpNetStream> | undefined;
  private statusListeners: Set<(info: StatusInfo) => void> | undefined;
  private errorWatchers: Map<number, ErrorWatcher> | undefined;

  constructor(
    channel: ByteChannel,
    role: 'client' | 'server',
    readonly scheme: TransportScheme,
    protected readonly tuning: ResolvedTuning,
    handshake: HandshakeDriver,
  ) {
    this.core = new SessionCore(channel, role, tuning, handshake, this);
    this.transactions = new Transactions(tuning.limits.maxPendingCalls);
  }

  // ---- Session ---------------------------------------------------------------------------

  get session(): Session {
    return this;
  }

  get state(): SessionState {
    return this.core.state;
  }

  get remote(): PeerAddress {
    return this.core.channel.remote;
  }

  get secure(): boolean {
    return this.core.channel.secure;
  }

  get closed(): Promise<void> {
    return this.core.closed;
  }

  get bytesIn(): number {
    return this.core.bytesIn;
  }

  get bytesOut(): number {
    return this.core.out.bytesWritten;
  }

  get closeError(): Error | undefined {
    return this.core.closeError;
  }

  get streams(): ReadonlyMap<number, NetStream> {
    return this.streamMap ?? NO_STREAMS;
  }

  get writableNeedDrain(): boolean {
    return this.core.out.blocked;
  }

  get callTimeout(): number {
    return this.tuning.timeouts.call;
  }

  call(name: string, args: AmfValue[] = [], options: CallOptions = {}): Promise<CallResult> {
    if (this.state !== 'connected') return Promise.reject(this.notConnected(name));
    const id = this.transactions.nextId();
    const answer = this.transactions.wait(id, name, options.timeout ?? this.tuning.timeouts.call, options.signal);
    try {
      if (this.transactions.nameOf(id) !== undefined) this.sendCommand(name, id, null, args, 0);
    } catch (error) {
      // E.g. an argument AMF cannot carry (AmfEncodeError).
      this.transactions.reject(id, () => error as Error);
    }
    return answer;
  }

  notify(name: string, args: AmfValue[] = []): Promise<void> {
    if (this.state !== 'connected') return Promise.reject(this.notConnected(name));
    try {
      return this.sendCommand(name, 0, null, args, 0) ? Promise.resolve() : this.waitDrain();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  handle(name: string, handler: CommandHandler | undefined): void {
    if (RESERVED_COMMANDS.has(name)) throw new TypeError(`the session answers "${name}" itself; it cannot be handled`);
    if (handler) (this.handlers ??= new Map()).set(name, handler);
    else this.handlers?.delete(name);
  }

  abstract createStream(): Promise<NetStream>;

  onStreamRequest(handlers: StreamRequestHandlers): void {
    this.streamHandlers = handlers;
  }

  onStatus(listener: (info: StatusInfo) => void): () => void {
    const listeners = (this.statusListeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.core.close(() => this.goodbye());
  }

  /** What an orderly close sends before ending the channel. */
  protected goodbye(): void {}

  // ---- StreamHost ------------------------------------------------------------------------

  sendStreamMessage(message: RtmpMessage, shared?: SharedEncoding, coalesceMs?: number): boolean {
    if (this.core.out.stopped) throw new SessionClosedError('the session is closed', { cause: this.closeError });
    const chunkStream = chunkStreamFor(message.type, message.streamId, this.tuning.maxChunkStreamId);
    return shared ? this.core.out.sendShared(message, chunkStream, shared, coalesceMs) : this.core.out.send(message, chunkStream, coalesceMs);
  }

  sendCommand(name: string, transactionId: number, commandObject: AmfValue, args: AmfValue[], streamId: number): boolean {
    return this.sendStreamMessage(commandMessage(name, transactionId, commandObject, args, streamId, this.amf3));
  }

  sendDataMessage(streamId: number, name: string, values: AmfValue[], timestamp: number, amf0 = false): boolean {
    return this.sendStreamMessage(dataMessage(name, values, streamId, timestamp >>> 0, this.amf3 && !amf0));
  }

  sendUserControl(event: UserControlMessage): boolean {
    return this.core.sendControl(encodeUserControl(event));
  }

  waitDrain(): Promise<void> {
    return this.core.out.waitDrain();
  }

  nextTransactionId(): number {
    return this.transactions.nextId();
  }

  watchTransaction(id: number, onError: ErrorWatcher): () => void {
    const watchers = (this.errorWatchers ??= new Map());
    watchers.set(id, onError);
    return () => watchers.delete(id);
  }

  newQueue(): MediaQueue {
    return new MediaQueue(this.tuning.limits.maxQueuedBytes, this.core.pressure);
  }

  forget(stream: RtmpNetStream): void {
    if (this.streamMap?.get(stream.id) === stream) this.streamMap.delete(stream.id);
  }

  ended(event: StreamEndEvent): void {
    if (this.role !== 'server') return;
    try {
      this.streamHandlers.end?.(event);
    } catch {
      // The application's bug must not break the session.
    }
  }

  // ---- CoreListener ----------------------------------------------------------------------

  abstract handshakeDone(): void;

  message(message: RtmpMessage): void {
    switch (message.type) {
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        this.command(decodeCommand(message), message);
        return;
      case MessageType.Audio:
      case MessageType.Video:
      case MessageType.DataAmf0:
      case MessageType.DataAmf3:
        this.streamMap?.get(message.streamId)?.incoming(this.incomingData(message));
        return;
      case MessageType.Aggregate: {
        const stream = this.streamMap?.get(message.streamId);
        if (!stream) return;
        for (const part of splitAggregate(message)) stream.incoming(this.incomingData(part));
        return;
      }
      default:
        // Shared objects (16, 19) and unknown types are not supported; they are dropped.
        return;
    }
  }

  userControl(event: UserControlMessage): void {
    if ('streamId' in event) this.streamMap?.get(event.streamId)?.userControl(event);
  }

  sessionClosed(error: Error | undefined): void {
    const callError = (name: string) => new SessionClosedError(`${name}: the session closed${error ? `: ${error.message}` : ''}`, { cause: error });
    this.transactions.rejectAll(callError);
    this.errorWatchers?.clear();
    if (this.streamMap) for (const stream of [...this.streamMap.values()]) stream.gone(error);
  }

  // ---- inside ----------------------------------------------------------------------------

  /** Type 17/15 for everything after connect when both sides agreed on objectEncoding 3. */
  protected get amf3(): boolean {
    return this.objectEncoding === 3 && (this.state === 'connected' || this.state === 'closing');
  }

  /** Server: unwraps `@setDataFrame`. */
  protected incomingData(message: RtmpMessage): RtmpMessage {
    return message;
  }

  protected command(command: RtmpCommand, message: RtmpMessage): void {
    const { name, transactionId, commandObject, args } = command;
    if (name === '_result') {
      if (!this.transactions.resolve(transactionId, { commandObject, args })) this.errorWatchers?.delete(transactionId);
      return;
    }
    if (name === '_error') {
      const known = this.transactions.reject(transactionId, (callName) => new CommandError(callName, { commandObject, args }));
      if (!known) {
        const watcher = this.errorWatchers?.get(transactionId);
        this.errorWatchers?.delete(transactionId);
        watcher?.({ commandObject, args });
      }
      return;
    }
    if (name === 'onStatus') {
      const info = statusOfCommand(commandObject, args);
      if (info) this.statusReceived(message.streamId, info);
      return;
    }
    if (this.roleCommand(command, message)) return;
    const handler = this.handlers?.get(name);
    if (handler) {
      void this.runHandler(handler, command, message.streamId);
      return;
    }
    if (this.builtinCommand(command, message)) return;
    this.replyError(transactionId, message.streamId, statusInfo('error', StatusCode.CallFailed, `Method not found (${name}).`));
  }

  /** The role's own commands (connect, stream commands); true when handled. */
  protected abstract roleCommand(command: RtmpCommand, message: RtmpMessage): boolean;

  /** Answers for commands an application may take over with `handle()`; true when handled. */
  protected abstract builtinCommand(command: RtmpCommand, message: RtmpMessage): boolean;

  private statusReceived(streamId: number, info: StatusInfo): void {
    if (streamId !== 0) {
      this.streamMap?.get(streamId)?.status(info);
      return;
    }
    if (!this.statusListeners) return;
    for (const listener of [...this.statusListeners]) {
      try {
        listener(info);
      } catch {
        // A listener's bug must not break the session.
      }
    }
  }

  private async runHandler(handler: CommandHandler, command: RtmpCommand, streamId: number): Promise<void> {
    const { transactionId, commandObject, args } = command;
    try {
      const value = await handler(args, { commandObject, streamId, transactionId, session: this });
      if (transactionId === 0 || this.state !== 'connected') return;
      const values: AmfValue[] = value === undefined ? [] : Array.isArray(value) ? (value as AmfValue[]) : [value as AmfValue];
      this.reply(transactionId, streamId, values);
    } catch (error) {
      if (transactionId === 0 || this.state !== 'connected') return;
      const statusCode = (error as { statusCode?: unknown })?.statusCode;
      const code = typeof statusCode === 'string' ? statusCode : StatusCode.CallFailed;
      const description = error instanceof Error ? error.message : String(error);
      try {
        this.replyError(transactionId, streamId, statusInfo('error', code, description));
      } catch {
        // The session closed meanwhile.
      }
    }
  }

  /** `_result` for `transactionId` (nothing for 0): null command object, then `values`. */
  reply(transactionId: number, streamId: number, values: AmfValue[], commandObject: AmfValue = null): void {
    if (transactionId !== 0) this.sendCommand('_result', transactionId, commandObject, values, streamId);
  }

  /** `_error` for `transactionId` (nothing for 0) with an info object. */
  replyError(transactionId: number, streamId: number, info: StatusInfo): void {
    if (transactionId !== 0) this.sendCommand('_error', transactionId, null, [info], streamId);
  }

  /** Sends an onStatus on `streamId`. */
  sendStatusOn(streamId: number, info: StatusInfo): boolean {
    return this.sendCommand('onStatus', 0, null, [info], streamId);
  }

  protected checkStreamLimit(): void {
    const max = this.tuning.limits.maxStreams;
    const count = this.streamMap?.size ?? 0;
    if (count >= max) throw new LimitExceededError('maxStreams', max, `one more stream on top of ${count}`);
  }

  /** The stream table, made on the first stream. */
  protected streamTable(): Map<number, RtmpNetStream> {
    return (this.streamMap ??= new Map());
  }

  private notConnected(name: string): Error {
    return new SessionClosedError(`${name}: the session is ${this.state}, not connected`, { cause: this.closeError });
  }

  /** Starts the pump (called by the role once it is set up). */
  protected startCore(): void {
    this.core.start();
  }
}
