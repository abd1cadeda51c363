import type { AmfValue } from '../amf/amf-value.js';
import { LimitExceededError, RtmpProtocolError, SessionClosedError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { ByteChannel } from './byte-channel.js';
import {
  MessageType,
  decodeCommand,
  encodeSetPeerBandwidth,
  withoutSetDataFrame,
  type RtmpCommand,
} from './codec.js';
import { parseConnectInfo } from './connect-info.js';
import { resolveHandshake } from './handshake-driver.js';
import { RtmpNetStream } from './net-stream.js';
import { RtmpSession } from './rtmp-session.js';
import { resolveTuning } from './session-options.js';
import type {
  AcceptOptions,
  IncomingSession,
  NetStream,
  ServerSessionOptions,
  Session,
} from './session-types.js';
import { StatusCode, statusInfo } from './status.js';
import { ServerStreamCommands } from './stream-requests.js';

/** Set Peer Bandwidth limit type 2 (Dynamic), what nginx and FFmpeg's server send. */
const LIMIT_DYNAMIC = 2;

/** The server's NetConnection. */
export class ServerSession extends RtmpSession implements IncomingSession {
  readonly role = 'server' as const;
  private readonly options: ServerSessionOptions;
  private connectTransaction: number | undefined;
  private answered = false;
  /** Messages that came after connect and before the answer to it (made when the first does). */
  private early: RtmpMessage[] | undefined;
  private nextStreamId = 1;
  private readonly streamCommands: ServerStreamCommands;
  private onConnect: ((error?: Error) => void) | undefined;

  constructor(channel: ByteChannel, options: ServerSessionOptions) {
    super(channel, 'server', options.scheme ?? 'rtmp', resolveTuning(options, 'server'), resolveHandshake('server', options.handshake));
    this.options = options;
    this.streamCommands = new ServerStreamCommands(this);
  }

  /** Runs the handshake and waits for `connect`. */
  async open(): Promise<IncomingSession> {
    const { signal } = this.options;
    const onAbort = (): void => this.core.fail(new SessionClosedError('the server stopped waiting for connect', { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Settled by connect, or by sessionClosed(): nothing stays attached to `closed` afterwards.
      const outcome = await new Promise<Error | undefined>((resolve) => {
        this.onConnect = resolve;
        this.startCore();
        if (signal?.aborted) onAbort();
      });
      if (outcome) throw outcome;
      return this;
    } finally {
      this.onConnect = undefined;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  handshakeDone(): void {}

  override sessionClosed(error: Error | undefined): void {
    this.onConnect?.(error ?? new SessionClosedError('closed before connect'));
    this.onConnect = undefined;
    super.sessionClosed(error);
  }

  // ---- IncomingSession -------------------------------------------------------------------

  async accept(info: Record<string, AmfValue> = {}, options: AcceptOptions = {}): Promise<Session> {
    this.assertUnanswered();
    this.answered = true;
    const { windowAckSize, chunkSize } = this.tuning;
    this.core.announceWindow(windowAckSize);
    this.core.sendControl(encodeSetPeerBandwidth({ windowSize: windowAckSize, limitType: LIMIT_DYNAMIC }));
    this.sendUserControl({ kind: 'StreamBegin', streamId: 0 });
    if (chunkSize !== this.core.out.chunkSize) this.core.out.setChunkSize(chunkSize);
    const enhanced = this.options.enhanced ?? {};
    const properties: Record<string, AmfValue> = {
      fmsVer: this.options.fmsVersion ?? 'FMS/3,0,1,123',
      capabilities: 31,
      mode: 1,
      ...Object.fromEntries(Object.entries(enhanced).filter(([, value]) => value !== undefined)),
      ...options.properties,
    };
    const result = statusInfo('status', StatusCode.ConnectSuccess, 'Connection succeeded.', {
      objectEncoding: this.connectInfo.objectEncoding,
      ...info,
    });
    this.reply(this.connectTransaction!, 0, [result], properties);
    this.connectResult = { commandObject: properties, args: [result] };
    this.objectEncoding = result.objectEncoding === 3 ? 3 : 0;
    this.core.connected();
    if (this.options.sendBwDone) this.sendCommand('onBWDone', 0, null, [8192], 0);
    const early = this.early ?? [];
    this.early = undefined;
    for (const message of early) {
      if (this.state !== 'connected') break;
      try {
        this.message(message);
      } catch (error) {
        this.core.fail(error as Error);
      }
    }
    if (this.state !== 'connected') throw new SessionClosedError('the session closed while accepting', { cause: this.closeError });
    return this;
  }

  async reject(description = 'Connection rejected.'): Promise<void> {
    if (this.state === 'closed' || this.answered) return;
    this.answered = true;
    this.replyError(this.connectTransaction!, 0, statusInfo('error', StatusCode.ConnectRejected, description));
    await this.core.close();
  }

  // ---- Session ---------------------------------------------------------------------------

  createStream(): Promise<NetStream> {
    return Promise.reject(new TypeError('createStream is a client request; a server answers it'));
  }

  /** Opens the stream a client asked for with createStream. */
  openStream(): RtmpNetStream {
    this.checkStreamLimit();
    let id = this.nextStreamId;
    const streams = this.streamTable();
    while (streams.has(id)) id = id >= 0x7fffffff ? 1 : id + 1;
    this.nextStreamId = id >= 0x7fffffff ? 1 : id + 1;
    const stream = new RtmpNetStream(id, this);
    streams.set(id, stream);
    return stream;
  }

  stream(id: number): RtmpNetStream | undefined {
    return this.streamMap?.get(id);
  }

  get handlersForStreams() {
    return this.streamHandlers;
  }

  override message(message: RtmpMessage): void {
    if (this.state === 'connecting') {
      this.beforeAccept(message);
      return;
    }
    super.message(message);
  }

  // ---- inside ----------------------------------------------------------------------------

  /** Until the application answered connect: take connect, keep the rest for later (bounded). */
  private beforeAccept(message: RtmpMessage): void {
    const isCommand = message.type === MessageType.CommandAmf0 || message.type === MessageType.CommandAmf3;
    if (this.connectTransaction === undefined) {
      if (!isCommand) return; // e.g. Set Chunk Size or Window Ack Size went to the core; nothing else comes first
      const command = decodeCommand(message);
      if (command.name !== 'connect') {
        throw new RtmpProtocolError(`the client sent "${command.name}" before connect`);
      }
      this.connectTransaction = command.transactionId;
      this.connectInfo = parseConnectInfo(command.commandObject, command.args);
      this.onConnect?.(undefined);
      return;
    }
    const max = this.tuning.limits.maxEarlyMessages;
    const early = (this.early ??= []);
    if (early.length >= max) {
      throw new LimitExceededError('maxEarlyMessages', max, 'messages sent before connect was answered');
    }
    early.push(message);
  }

  private assertUnanswered(): void {
    if (this.answered) throw new TypeError('connect was already answered');
    if (this.state !== 'connecting' || this.connectTransaction === undefined) {
      throw new SessionClosedError(`cannot accept: the session is ${this.state}`, { cause: this.closeError });
    }
  }

  protected override incomingData(message: RtmpMessage): RtmpMessage {
    if (message.type === MessageType.DataAmf0 || message.type === MessageType.DataAmf3) return withoutSetDataFrame(message);
    return message;
  }

  protected roleCommand(command: RtmpCommand, message: RtmpMessage): boolean {
    return this.streamCommands.handle(command, message);
  }

  protected builtinCommand(command: RtmpCommand, message: RtmpMessage): boolean {
    return this.streamCommands.handleBuiltin(command, message);
  }
}

/**
 * Server side of a session over `channel`: runs the handshake and waits for `connect`; resolves
 * with the `IncomingSession` for the application to `accept()` or `reject()`. Rejects with
 * `HandshakeError`, `TimeoutError`, `RtmpProtocolError`/`LimitExceededError` (garbage) or
 * `SessionClosedError`; the channel is destroyed in each case.
 */
export function startServerSession(channel: ByteChannel, options: ServerSessionOptions = {}): Promise<IncomingSession> {
  let session: ServerSession;
  try {
    session = new ServerSession(channel, options);
  } catch (error) {
    channel.destroy(error as Error);
    return Promise.reject(error);
  }
  return session.open();
}
