import { LimitExceededError, TimeoutError, type ByteChannelHandlers, type PeerAddress } from '@rtmpkit/core';
import { ByteQueue } from '../byte-queue.js';
import { CLOSED_POLLING_BYTE, ZERO_BODY } from '../protocol/constants.js';
import { PollingDelay, type PollingDelayOptions } from '../protocol/polling-delay.js';
import { RequestSequencer, type SequenceRefusal } from './request-sequencer.js';
import type { TunnelChannel, TunnelServerLimits } from './server-options.js';
import type { TunnelRequest } from './tunnel-request.js';

/** What a tunnel session is made with. */
export interface TunnelSessionInit {
  id: string;
  remote: PeerAddress;
  secure: boolean;
  limits: TunnelServerLimits;
  polling?: PollingDelayOptions;
  /** Called once when the session closes, for whatever reason. */
  onGone(session: TunnelSession): void;
}

/**
 * One RTMPT session on the server, and the `ByteChannel` the RTMP session runs over.
 *
 * Requests are handled in sequence-number order, one at a time. A `send` body is handed to the
 * RTMP session; its reply waits one turn of the event loop so that what the session answers at
 * once (S0+S1+S2 after C0+C1, a `_result`) goes back in the same reply. While the channel is
 * paused, a `send` reply waits until `resume()` (pushing back on the client); `idle` replies do
 * not wait for that. An `idle` that finds nothing to send is held up to `idleHoldMs` and answered
 * as soon as something is written or the client's next request arrives (librtmp polls without
 * pause; this keeps it to a few requests per second). Each reply carries the polling byte and up to `maxReplyBytes` of what the RTMP
 * session wrote. After `end()`, the reply that empties the queue carries polling byte 0 and the
 * tunnel closes; `/close`, `destroy()` and `sessionTimeoutMs` without a request close it too.
 */
export class TunnelSession implements TunnelChannel {
  readonly id: string;
  readonly remote: PeerAddress;
  readonly secure: boolean;
  private readonly limits: TunnelServerLimits;
  private readonly onGone: (session: TunnelSession) => void;
  private readonly sequencer: RequestSequencer<TunnelRequest>;
  private readonly polling: PollingDelay;
  private readonly outbound = new ByteQueue();
  private inbound: Buffer[] = [];
  private handlers: ByteChannelHandlers | undefined;
  /** A send whose reply waits (for delivery to resume, or for its turn of the event loop). */
  private active: TunnelRequest | undefined;
  private replyScheduled = false;
  private gapTimer: NodeJS.Timeout | undefined;
  /** Runs while an idle request is held because nothing waits for the client. */
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly expiryTimer: NodeJS.Timeout;
  private paused = false;
  private delivering = false;
  private ending = false;
  private closed = false;
  private needDrain = false;
  private closeError: Error | undefined;

  constructor(init: TunnelSessionInit) {
    this.id = init.id;
    this.remote = init.remote;
    this.secure = init.secure;
    this.limits = init.limits;
    this.onGone = init.onGone;
    this.sequencer = new RequestSequencer(init.limits.reorderWindow);
    this.polling = new PollingDelay(init.polling);
    this.expiryTimer = setTimeout(() => this.expire(), init.limits.sessionTimeoutMs).unref();
  }

  /** True once the tunnel is closed (requests for it are then answered 404). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Takes a request of this session; returns why it is refused instead (the session is then untouched). */
  offer(request: TunnelRequest): SequenceRefusal | 'closed' | undefined {
    if (this.closed) return 'closed';
    const refusal = this.sequencer.offer(request.seq, request);
    if (refusal) return refusal;
    this.expiryTimer.refresh();
    // A held idle must not delay the client's next request (librtmp pipelines a send behind it).
    if (this.active?.command === 'idle') this.releaseActive();
    else this.pump();
    return undefined;
  }

  // ByteChannel

  get writableLength(): number {
    return this.outbound.length;
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.ending) return false;
    this.outbound.push(bytes);
    if (this.outbound.length > this.limits.maxQueuedBytes) {
      this.destroy(
        new LimitExceededError(
          'maxQueuedBytes',
          this.limits.maxQueuedBytes,
          `RTMPT session ${this.id}: the client is not collecting what the server sends`,
        ),
      );
      return false;
    }
    if (this.active?.command === 'idle') this.scheduleReply();
    if (this.outbound.length < this.limits.highWaterMark) return true;
    this.needDrain = true;
    return false;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.deliver();
    if (this.active?.command === 'send') this.scheduleReply();
  }

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    if (this.active?.command === 'idle') this.releaseActive();
  }

  destroy(error?: Error): void {
    this.finish(error);
  }

  attach(handlers: ByteChannelHandlers): void {
    if (this.handlers) throw new Error(`RTMPT session ${this.id}: attach() was already called`);
    this.handlers = handlers;
    if (this.closed) {
      process.nextTick(() => handlers.close(this.closeError));
      return;
    }
    this.deliver();
    if (this.active?.command === 'send') this.scheduleReply();
  }

  // Request handling

  /** Handles held requests for as long as the next one is ready. */
  private pump(): void {
    while (!this.closed && !this.active) {
      const next = this.sequencer.takeReady();
      if (!next) {
        this.armGapTimer();
        return;
      }
      this.clearGapTimer();
      this.handle(next.item);
    }
  }

  private handle(request: TunnelRequest): void {
    if (request.command === 'idle') {
      if (this.limits.idleHoldMs > 0 && this.outbound.length === 0 && !this.ending && request.alive) {
        // Nothing to send yet: answer when something is written, or after idleHoldMs.
        this.active = request;
        this.holdTimer = setTimeout(() => this.releaseActive(), this.limits.idleHoldMs);
        return;
      }
      this.reply(request);
    } else if (request.command === 'close') {
      if (request.alive) request.reply([ZERO_BODY]);
      this.finish(undefined);
    } else {
      if (request.body.length > 0) this.inbound.push(request.body);
      this.active = request;
      this.deliver();
      this.scheduleReply();
    }
  }

  /** After a gap, waits `reorderWaitMs` for the missing requests, then accepts the gap as a skip. */
  private armGapTimer(): void {
    if (this.gapTimer || this.sequencer.waiting === 0) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.closed || this.active) return;
      const next = this.sequencer.takeAfterGap();
      if (next) this.handle(next.item);
      this.pump();
    }, this.limits.reorderWaitMs);
  }

  private clearGapTimer(): void {
    if (!this.gapTimer) return;
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
  }

  /** Hands received bytes to the RTMP session while it is attached and not paused. */
  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (!this.paused && this.handlers && !this.closed && this.inbound.length > 0) {
        this.handlers.data(this.inbound.shift()!);
      }
    } catch (error) {
      this.finish(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.delivering = false;
    }
  }

  /**
   * Replies to the active request one event-loop turn later (so that everything the RTMP session
   * writes in reaction is in the reply): a send once all its bytes are delivered, a held idle once
   * something was written.
   */
  private scheduleReply(): void {
    if (!this.active || this.replyScheduled || this.closed || this.inbound.length > 0) return;
    this.replyScheduled = true;
    setImmediate(() => {
      this.replyScheduled = false;
      this.releaseActive();
    });
  }

  /** Replies to the active request now (unless a send still has bytes to deliver), then goes on. */
  private releaseActive(): void {
    const request = this.active;
    if (this.closed || !request || this.inbound.length > 0) return;
    this.clearHoldTimer();
    this.active = undefined;
    this.reply(request);
    this.pump();
  }

  private clearHoldTimer(): void {
    if (!this.holdTimer) return;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }

  /** The send/idle reply: polling byte, then what waits for the client (0 and close once ended and empty). */
  private reply(request: TunnelRequest): void {
    if (!request.alive) return;
    const chunks = this.outbound.take(this.limits.maxReplyBytes);
    const closing = this.ending && this.outbound.length === 0;
    const pollingByte = closing ? CLOSED_POLLING_BYTE : this.polling.next(chunks.length > 0);
    request.reply([Buffer.of(pollingByte), ...chunks]);
    this.expiryTimer.refresh();
    if (closing) {
      this.finish(undefined);
      return;
    }
    if (this.needDrain && this.outbound.length <= this.limits.highWaterMark / 2) {
      this.needDrain = false;
      this.handlers?.drain();
    }
  }

  private expire(): void {
    if (this.closed) return;
    if (this.active?.alive && this.handlers) {
      // The client waits on a reply we hold back (the RTMP session paused reading): not idle.
      this.expiryTimer.refresh();
      return;
    }
    const ms = this.limits.sessionTimeoutMs;
    this.finish(new TimeoutError('idle', ms, `RTMPT session ${this.id} expired: no request for ${ms} ms`));
  }

  /** Closes once: answers held requests with polling byte 0, forgets queued bytes, tells the RTMP session. */
  private finish(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    clearTimeout(this.expiryTimer);
    this.clearGapTimer();
    this.clearHoldTimer();
    const waiting = [...(this.active ? [this.active] : []), ...this.sequencer.drain()];
    this.active = undefined;
    for (const request of waiting) {
      if (request.alive) request.reply([ZERO_BODY]);
    }
    this.outbound.clear();
    this.inbound = [];
    this.onGone(this);
    const handlers = this.handlers;
    if (handlers) process.nextTick(() => handlers.close(error));
  }
}
