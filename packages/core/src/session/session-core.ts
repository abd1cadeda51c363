import { ChunkDecoder } from '../chunk/index.js';
import { RtmpError, SessionClosedError, TimeoutError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { ByteChannel } from './byte-channel.js';
import { CONTROL_CHUNK_STREAM } from './chunk-streams.js';
import {
  MessageType,
  decodeAcknowledgement,
  decodeSetPeerBandwidth,
  decodeUserControl,
  decodeWindowAcknowledgementSize,
  encodeAcknowledgement,
  encodeUserControl,
  encodeWindowAcknowledgementSize,
  type UserControlMessage,
} from './codec.js';
import { FlowControl } from './flow-control.js';
import type { HandshakeDriver } from './handshake-driver.js';
import type { QueuePressure } from './media-queue.js';
import { Outgoing } from './outgoing.js';
import type { ResolvedTuning } from './session-options.js';
import type { SessionState } from './session-types.js';

/** What the session logic above the pump is told. */
export interface CoreListener {
  /** The handshake is over; chunks follow. */
  handshakeDone(): void;
  /** Commands, data, media, shared objects: everything but protocol control and pings. */
  message(message: RtmpMessage): void;
  /** User Control events other than PingRequest (which the pump answers). */
  userControl(event: UserControlMessage): void;
  /** The session closed; `error` says why when it was not in order. Called once. */
  sessionClosed(error: Error | undefined): void;
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new RtmpError(`non-error thrown: ${String(error)}`);
}

/**
 * The message pump of one connection, the same for both roles: runs the handshake, feeds the
 * chunk decoder, acts on protocol control (acknowledgements, window sizes, peer bandwidth, pings),
 * hands every other message up as the decoder made it (no copies), keeps the deadlines, holds the
 * channel paused while a reader is behind, and closes — in order, or with a typed error.
 */
export class SessionCore {
  state: SessionState = 'handshaking';
  closeError: Error | undefined;
  readonly closed: Promise<void>;
  readonly flow = new FlowControl();
  readonly out: Outgoing;
  /** Read-side backpressure for media queues. */
  readonly pressure: QueuePressure;

  private readonly decoder: ChunkDecoder;
  private handshake: HandshakeDriver | undefined;
  private resolveClosed!: () => void;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastReceived = Date.now();
  private readonly startedAt = Date.now();
  private holds = 0;
  private readonly onMessage = (message: RtmpMessage): void => this.dispatch(message);

  constructor(
    readonly channel: ByteChannel,
    readonly role: 'client' | 'server',
    readonly tuning: ResolvedTuning,
    handshake: HandshakeDriver,
    private readonly listener: CoreListener,
  ) {
    this.handshake = handshake;
    const { maxOutgoingBytes, maxQueuedBytes: _q, maxStreams: _s, maxPendingCalls: _p, maxEarlyMessages: _e, ...decoderLimits } = tuning.limits;
    this.decoder = new ChunkDecoder(decoderLimits);
    this.out = new Outgoing(channel, maxOutgoingBytes, (error) => this.fail(error));
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    this.pressure = { full: () => this.hold(), relieved: () => this.release() };
  }

  /** Attaches to the channel, arms the deadlines and (client) sends C0+C1. */
  start(): void {
    this.channel.attach({
      data: (bytes) => this.onData(bytes),
      drain: () => this.out.drained(),
      close: (error) => this.onChannelClose(error),
    });
    const { handshake, connect, idle } = this.tuning.timeouts;
    if (handshake > 0) this.handshakeTimer = this.after(handshake, () => this.fail(new TimeoutError('handshake', handshake)));
    if (connect > 0) this.connectTimer = this.after(connect, () => this.fail(new TimeoutError('connect', connect)));
    if (idle > 0) this.armIdle(idle);
    const first = this.handshake?.start?.();
    if (first) this.out.write(first);
  }

  /** `connect` was answered: the connect deadline is off, pings start (if configured). */
  connected(): void {
    if (this.state !== 'connecting') return;
    this.state = 'connected';
    this.clear(this.connectTimer);
    this.connectTimer = undefined;
    const interval = this.tuning.pingInterval;
    if (interval > 0) {
      this.pingTimer = setInterval(() => {
        this.sendControl(encodeUserControl({ kind: 'PingRequest', timestamp: (Date.now() - this.startedAt) >>> 0 }));
      }, interval);
      this.pingTimer.unref?.();
    }
  }

  /** Sends a protocol control or User Control message on chunk stream 2. */
  sendControl(message: RtmpMessage): boolean {
    return this.out.send(message, CONTROL_CHUNK_STREAM);
  }

  /** Sends Window Acknowledgement Size and remembers it. */
  announceWindow(size: number): void {
    this.flow.announced(size);
    this.sendControl(encodeWindowAcknowledgementSize(size));
  }

  /**
   * Closes in order: `beforeEnd` writes the goodbyes, then the channel is ended and the session
   * closes when the channel does (or after `timeouts.close`, destroying it).
   */
  close(beforeEnd?: () => void): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return this.closed;
    const wasConnected = this.state === 'connected';
    this.state = 'closing';
    this.clearDeadlines();
    if (wasConnected && beforeEnd) {
      try {
        beforeEnd();
      } catch {
        // Goodbyes are best effort.
      }
    }
    this.out.flush();
    this.channel.end();
    const ms = this.tuning.timeouts.close;
    if (ms > 0) {
      this.after(ms, () => {
        this.finish(undefined);
        this.channel.destroy();
      });
    }
    return this.closed;
  }

  /** Closes at once with `error` (a typed RtmpError): the channel is destroyed. */
  fail(error: Error): void {
    if (this.state === 'closed') return;
    this.finish(error);
    this.channel.destroy(error);
  }

  /** Bytes received, handshake included. */
  bytesIn = 0;

  private onData(bytes: Buffer): void {
    if (this.state === 'closed') return;
    this.lastReceived = Date.now();
    this.bytesIn += bytes.length;
    try {
      if (this.handshake) {
        const step = this.handshake.receive(bytes);
        for (const output of step.output) this.out.write(output);
        if (!step.done) return;
        this.handshake = undefined;
        this.clear(this.handshakeTimer);
        this.handshakeTimer = undefined;
        if (this.state === 'handshaking') this.state = 'connecting';
        this.listener.handshakeDone();
        bytes = step.remainder;
        if (bytes.length === 0 || (this.state as SessionState) === 'closed') return;
      }
      const ack = this.flow.onBytes(bytes.length);
      if (ack !== undefined) this.sendControl(encodeAcknowledgement(ack));
      this.decoder.push(bytes, this.onMessage);
    } catch (error) {
      this.fail(asError(error));
    }
  }

  private dispatch(message: RtmpMessage): void {
    if (this.state === 'closed') return;
    switch (message.type) {
      case MessageType.SetChunkSize:
      case MessageType.Abort:
        return; // the decoder acted on them already
      case MessageType.Acknowledgement:
        this.flow.peerAcknowledged = decodeAcknowledgement(message);
        return;
      case MessageType.WindowAcknowledgementSize:
        this.flow.onWindowAckSize(decodeWindowAcknowledgementSize(message));
        return;
      case MessageType.SetPeerBandwidth: {
        const { windowSize, limitType } = decodeSetPeerBandwidth(message);
        const answer = this.flow.onSetPeerBandwidth(windowSize, limitType);
        if (answer !== undefined) this.sendControl(encodeWindowAcknowledgementSize(answer));
        return;
      }
      case MessageType.UserControl: {
        const event = decodeUserControl(message);
        if (event.kind === 'PingRequest') {
          this.sendControl(encodeUserControl({ kind: 'PingResponse', timestamp: event.timestamp }));
        } else {
          this.listener.userControl(event);
        }
        return;
      }
      default:
        this.listener.message(message);
    }
  }

  private onChannelClose(error: Error | undefined): void {
    if (this.state === 'closed') return;
    if (this.state === 'closing') {
      this.finish(undefined);
      return;
    }
    let reason: Error | undefined;
    if (this.handshake) {
      reason = new SessionClosedError('the peer closed the connection during the handshake', { cause: error });
    } else if (this.decoder.hasPartialInput) {
      reason = new SessionClosedError(
        `the peer closed the connection in the middle of a chunk or message (${this.decoder.bufferedBytes} bytes of a message held)`,
        { cause: error },
      );
    } else if (error) {
      reason = new SessionClosedError(`the connection was lost: ${error.message}`, { cause: error });
    } else if (this.state === 'connecting') {
      reason = new SessionClosedError('the peer closed the connection before connect was answered');
    }
    this.finish(reason);
  }

  private finish(error: Error | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError = error;
    this.clearDeadlines();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.out.stop(new SessionClosedError(error ? `the session closed: ${error.message}` : 'the session is closed', { cause: error }));
    try {
      this.listener.sessionClosed(error);
    } finally {
      this.resolveClosed();
    }
  }

  private hold(): void {
    if (this.holds++ === 0 && this.state !== 'closed') this.channel.pause();
  }

  private release(): void {
    if (this.holds === 0) return;
    if (--this.holds === 0 && this.state !== 'closed') {
      this.lastReceived = Date.now(); // time paused by us is not idle time
      this.channel.resume();
    }
  }

  private armIdle(idle: number): void {
    const wait = Math.max(1, idle - (Date.now() - this.lastReceived));
    this.idleTimer = this.after(wait, () => {
      if (this.holds > 0) this.lastReceived = Date.now();
      if (Date.now() - this.lastReceived >= idle) {
        this.fail(new TimeoutError('idle', idle, `idle timeout: nothing received in ${idle} ms`));
      } else {
        this.armIdle(idle);
      }
    });
    this.idleTimer.unref?.();
  }

  private after(ms: number, run: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private clear(timer: ReturnType<typeof setTimeout> | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private clearDeadlines(): void {
    this.clear(this.handshakeTimer);
    this.clear(this.connectTimer);
    this.clear(this.idleTimer);
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.handshakeTimer = this.connectTimer = this.idleTimer = this.pingTimer = undefined;
  }
}
