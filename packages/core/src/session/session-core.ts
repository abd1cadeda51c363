import { ChunkDecoder } from '../chunk/index.js';
import { RtmpError, SessionClosedError, TimeoutError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { ByteChannel, ByteChannelHandlers } from './byte-channel.js';
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

type Timer = ReturnType<typeof setTimeout>;

// Timer callbacks take the core as an argument (setTimeout's extra arguments) rather than being
// closures over it: an idle server holds one timer per connection, and a closure each would add up.
function handshakeExpired(core: SessionCore): void {
  const ms = core.tuning.timeouts.handshake;
  core.fail(new TimeoutError('handshake', ms));
}

function connectExpired(core: SessionCore): void {
  const ms = core.tuning.timeouts.connect;
  core.fail(new TimeoutError('connect', ms));
}

function keepaliveDue(core: SessionCore): void {
  core.keepalive();
}

function closeExpired(core: SessionCore): void {
  core.closeTimedOut();
}

/** Routes the channel's events to the core (one small object instead of three closures). */
class CoreChannelHandlers implements ByteChannelHandlers {
  constructor(private readonly core: SessionCore) {}

  data(bytes: Buffer): void {
    this.core.received(bytes);
  }

  drain(): void {
    this.core.out.drained();
  }

  close(error?: Error): void {
    this.core.channelClosed(error);
  }
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

  private readonly decoder: ChunkDecoder;
  private handshake: HandshakeDriver | undefined;
  private resolveClosed!: () => void;
  private queuePressure: QueuePressure | undefined;
  private handshakeTimer: Timer | undefined;
  private connectTimer: Timer | undefined;
  /**
   * One unref'd timer for both the idle deadline and the pings: it fires at whichever comes
   * first (`keepalive()`) and is set again for the next.
   */
  private keepaliveTimer: Timer | undefined;
  /** When the next PingRequest is due (Date.now() time); 0 while pings are off. */
  private nextPingAt = 0;
  private closeTimer: Timer | undefined;
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
  }

  /** Read-side backpressure for media queues (made for the first queue). */
  get pressure(): QueuePressure {
    return (this.queuePressure ??= { full: () => this.hold(), relieved: () => this.release() });
  }

  /** Attaches to the channel, arms the deadlines and (client) sends C0+C1. */
  start(): void {
    this.channel.attach(new CoreChannelHandlers(this));
    const { handshake, connect } = this.tuning.timeouts;
    if (handshake > 0) this.handshakeTimer = setTimeout(handshakeExpired, handshake, this);
    if (connect > 0) this.connectTimer = setTimeout(connectExpired, connect, this);
    this.armKeepalive(Date.now());
    const first = this.handshake?.start?.();
    if (first) this.out.write(first);
  }

  /** `connect` was answered: the connect deadline is off, pings start (if configured). */
  connected(): void {
    if (this.state !== 'connecting') return;
    this.state = 'connected';
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    const interval = this.tuning.pingInterval;
    if (interval > 0) {
      const now = Date.now();
      this.nextPingAt = now + interval;
      this.armKeepalive(now);
    }
  }

  /**
   * The keepalive timer fired: close an idle session (nothing received for `timeouts.idle`, time
   * the session itself held the channel paused not counted), send a PingRequest when one is due,
   * and set the timer for what comes next.
   */
  keepalive(): void {
    this.keepaliveTimer = undefined;
    if (this.state === 'closed' || this.state === 'closing') return;
    const now = Date.now();
    const { idle } = this.tuning.timeouts;
    if (idle > 0) {
      if (this.holds > 0) this.lastReceived = now;
      if (now - this.lastReceived >= idle) {
        this.fail(new TimeoutError('idle', idle, `idle timeout: nothing received in ${idle} ms`));
        return;
      }
    }
    if (this.nextPingAt !== 0 && now >= this.nextPingAt) {
      this.nextPingAt = now + this.tuning.pingInterval;
      this.sendControl(encodeUserControl({ kind: 'PingRequest', timestamp: (now - this.startedAt) >>> 0 }));
      if ((this.state as SessionState) === 'closed') return;
    }
    this.armKeepalive(now);
  }

  /** Sets the keepalive timer for the idle deadline or the next ping, whichever comes first. */
  private armKeepalive(now: number): void {
    const { idle } = this.tuning.timeouts;
    let due = Infinity;
    if (idle > 0) due = this.lastReceived + idle;
    if (this.nextPingAt !== 0 && this.nextPingAt < due) due = this.nextPingAt;
    if (due === Infinity) return;
    if (this.keepaliveTimer !== undefined) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = setTimeout(keepaliveDue, Math.max(1, due - now), this);
    this.keepaliveTimer.unref?.();
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
    if (ms > 0 && (this.state as SessionState) !== 'closed') this.closeTimer = setTimeout(closeExpired, ms, this);
    return this.closed;
  }

  /** `timeouts.close` passed while closing in order: the channel is destroyed. */
  closeTimedOut(): void {
    this.closeTimer = undefined;
    this.finish(undefined);
    this.channel.destroy();
  }

  /** Closes at once with `error` (a typed RtmpError): the channel is destroyed. */
  fail(error: Error): void {
    if (this.state === 'closed') return;
    this.finish(error);
    this.channel.destroy(error);
  }

  /** Bytes received, handshake included. */
  bytesIn = 0;

  /** The channel delivered `bytes`. */
  received(bytes: Buffer): void {
    if (this.state === 'closed') return;
    this.lastReceived = Date.now();
    this.bytesIn += bytes.length;
    try {
      if (this.handshake) {
        const step = this.handshake.receive(bytes);
        for (const output of step.output) this.out.write(output);
        if (!step.done) return;
        this.handshake = undefined;
        clearTimeout(this.handshakeTimer);
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

  /** The channel closed (`error` when it failed). */
  channelClosed(error: Error | undefined): void {
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
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
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

  private clearDeadlines(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.connectTimer);
    clearTimeout(this.keepaliveTimer);
    this.handshakeTimer = this.connectTimer = this.keepaliveTimer = undefined;
    this.nextPingAt = 0;
  }
}
