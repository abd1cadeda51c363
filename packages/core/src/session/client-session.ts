import { AbortedError, CommandError, SessionClosedError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import { parseRtmpUrl } from '../url/index.js';
import type { ByteChannel } from './byte-channel.js';
import type { RtmpCommand } from './codec.js';
import { buildConnectCommand, parseConnectInfo } from './connect-info.js';
import { resolveHandshake } from './handshake-driver.js';
import { RtmpNetStream } from './net-stream.js';
import { RtmpSession } from './rtmp-session.js';
import { resolveTuning } from './session-options.js';
import type { CallResult, ClientSessionOptions, NetStream, Session } from './session-types.js';
import { statusOfCommand } from './status.js';

/** The client's NetConnection. */
class ClientSession extends RtmpSession {
  readonly role = 'client' as const;
  private readonly connectOptions: ClientSessionOptions;
  private connectId = -1;
  private settleConnect: ((error?: Error) => void) | undefined;

  constructor(channel: ByteChannel, options: ClientSessionOptions) {
    const url = parseRtmpUrl(options.url);
    const tuning = resolveTuning(options, 'client');
    super(channel, 'client', options.scheme ?? url.scheme, tuning, resolveHandshake('client', options.handshake));
    this.connectOptions = options;
    const objectEncoding = options.objectEncoding === 3 ? 3 : 0;
    const command = buildConnectCommand(url.app, url.tcUrl, objectEncoding, options.command);
    this.connectInfo = parseConnectInfo(command, options.args ?? []);
  }

  /** Runs the handshake and connect; resolves on `NetConnection.Connect.Success`. */
  async open(): Promise<this> {
    const { signal } = this.connectOptions;
    if (signal?.aborted) {
      const error = new AbortedError('connect was aborted', { cause: signal.reason });
      this.core.channel.destroy(error);
      throw error;
    }
    const onAbort = (): void => this.core.fail(new AbortedError('connect was aborted', { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const answered = new Promise<Error | undefined>((resolve) => {
        this.settleConnect = resolve;
      });
      this.startCore();
      const outcome = await Promise.race([answered, this.closed.then(() => this.closedError())]);
      if (outcome) throw outcome;
      return this;
    } finally {
      this.settleConnect = undefined;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  handshakeDone(): void {
    this.connectId = this.transactions.nextId();
    this.sendCommand('connect', this.connectId, this.connectInfo.command, this.connectInfo.args, 0);
  }

  /** The answer to connect is taken here, synchronously, so that what follows it already sees a connected session. */
  protected override command(command: RtmpCommand, message: RtmpMessage): void {
    const isAnswer = command.name === '_result' || command.name === '_error';
    if (!isAnswer || command.transactionId !== this.connectId || this.state !== 'connecting') {
      super.command(command, message);
      return;
    }
    const details: CallResult = { commandObject: command.commandObject, args: command.args };
    if (command.name === '_error' || statusOfCommand(null, command.args)?.level === 'error') {
      const error = new CommandError('connect', details);
      this.core.fail(error);
      this.settleConnect?.(error);
      return;
    }
    this.connectResult = details;
    // FFmpeg's server answers 0 whatever was asked; what the server says is what both use.
    const answered = statusOfCommand(null, command.args)?.objectEncoding;
    this.objectEncoding = answered === 3 || (answered === undefined && this.connectInfo.objectEncoding === 3) ? 3 : 0;
    this.core.connected();
    if (this.tuning.chunkSize !== this.core.out.chunkSize) this.core.out.setChunkSize(this.tuning.chunkSize);
    this.settleConnect?.(undefined);
  }

  async createStream(): Promise<NetStream> {
    this.checkStreamLimit();
    const result = await this.call('createStream');
    const id = result.args.find((value) => typeof value === 'number');
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0 || id > 0xffffffff) {
      throw new CommandError('createStream', result, `createStream: the server answered no usable stream id (${String(id)})`);
    }
    const streams = this.streamTable();
    const previous = streams.get(id);
    previous?.gone(undefined);
    const stream = new RtmpNetStream(id, this);
    streams.set(id, stream);
    return stream;
  }

  protected override goodbye(): void {
    for (const stream of [...(this.streamMap?.values() ?? [])]) {
      stream.sendCloseCommands();
      stream.gone(undefined);
    }
  }

  protected roleCommand(command: RtmpCommand, _message: RtmpMessage): boolean {
    switch (command.name) {
      case 'onBWDone':
        // FFmpeg and librtmp answer with _checkbw; its answer (if any) is not waited for.
        if (this.state === 'connected') this.sendCommand('_checkbw', this.transactions.nextId(), null, [], 0);
        return true;
      case 'onFCPublish':
      case 'onFCUnpublish':
      case 'onFCSubscribe':
      case '_onbwdone':
      case 'close':
        return true;
      default:
        return false;
    }
  }

  protected builtinCommand(command: RtmpCommand, message: RtmpMessage): boolean {
    if (command.name === '_onbwcheck') {
      this.reply(command.transactionId, message.streamId, []);
      return true;
    }
    return false;
  }

  private closedError(): Error {
    return this.closeError ?? new SessionClosedError('the server closed the connection before connect was answered');
  }
}

/**
 * Client side of a session over `channel`: handshake, `connect`, and once the server answered
 * `NetConnection.Connect.Success`, the connected `Session`. Rejects with `CommandError` when the
 * server answered `_error` (e.g. `NetConnection.Connect.Rejected`), `TimeoutError` (handshake or
 * connect deadline), `HandshakeError`, `SessionClosedError` when the channel closed, or
 * `AbortedError` when `options.signal` aborted; the channel is destroyed in each case.
 */
export function startClientSession(channel: ByteChannel, options: ClientSessionOptions): Promise<Session> {
  let session: ClientSession;
  try {
    session = new ClientSession(channel, options);
  } catch (error) {
    channel.destroy(error as Error);
    return Promise.reject(error);
  }
  return session.open();
}
