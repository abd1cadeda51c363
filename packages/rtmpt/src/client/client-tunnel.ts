import type { ByteChannel, ByteChannelHandlers, PeerAddress } from '@rtmpkit/core';
import { ByteQueue, totalLength } from '../byte-queue.js';
import { TunnelError } from '../errors.js';
import { CLOSED_POLLING_BYTE, ZERO_BODY } from '../protocol/constants.js';
import { tunnelPath, type TunnelCommand } from '../protocol/tunnel-path.js';
import type { TunnelClientLimits } from './client-options.js';
import type { TunnelPoster } from './tunnel-poster.js';

/** The client end of an RTMPT tunnel, as the RTMP session sees it. */
export interface TunnelClientChannel extends ByteChannel {
  /** The session id the server handed out on `/open`. */
  readonly id: string;
}

/** How long a best-effort `/close` after `destroy()` may take before the connection is dropped. */
const CLOSE_GRACE_MS = 2000;

/**
 * The client side of an opened tunnel session: one request at a time. Whatever was written is
 * batched into one `/send` (up to `maxSendBytes`) on the next turn of the event loop; with nothing
 * to send, an `/idle` polls after the server's polling byte × `pollUnitMs` (within `minPollMs` and
 * `maxPollMs`; at once after a reply that carried data, as FFmpeg does). `end()` flushes, then
 * posts `/close`. A polling byte of 0 means the server closed the session.
 */
export class ClientTunnel implements TunnelClientChannel {
  private seq = 0;
  private readonly outbox = new ByteQueue();
  private inFlightBytes = 0;
  private busy = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private sendSoon: NodeJS.Immediate | undefined;
  private pollDelayMs: number;
  private inbound: Buffer[] = [];
  private handlers: ByteChannelHandlers | undefined;
  private paused = false;
  private delivering = false;
  private ending = false;
  private remoteClosed = false;
  private closed = false;
  private needDrain = false;
  private closeError: Error | undefined;

  constructor(
    readonly id: string,
    private readonly poster: TunnelPoster,
    readonly remote: PeerAddress,
    readonly secure: boolean,
    private readonly limits: TunnelClientLimits,
  ) {
    this.pollDelayMs = limits.minPollMs;
  }

  get writableLength(): number {
    return this.outbox.length + this.inFlightBytes;
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.ending) return false;
    this.outbox.push(bytes);
    this.kick();
    if (this.writableLength < this.limits.highWaterMark) return true;
    this.needDrain = true;
    return false;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.deliver();
    this.kick();
  }

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.kick();
  }

  destroy(error?: Error): void {
    if (this.closed) return;
    this.poster.abort();
    const path = tunnelPath('close', this.id, this.seq++);
    const grace = setTimeout(() => this.poster.close(), CLOSE_GRACE_MS).unref();
    this.poster
      .post(path, [ZERO_BODY])
      .catch(() => {})
      .finally(() => {
        clearTimeout(grace);
        this.poster.close();
      });
    this.finish(error, false);
  }

  attach(handlers: ByteChannelHandlers): void {
    if (this.handlers) throw new Error(`RTMPT client tunnel ${this.id}: attach() was already called`);
    this.handlers = handlers;
    if (this.closed) {
      process.nextTick(() => handlers.close(this.closeError));
      return;
    }
    this.deliver();
    this.kick();
  }

  /** Starts the next request when none is in flight: a send soon, or an idle after the polling delay. */
  private kick(): void {
    if (this.closed || this.busy) return;
    if (this.outbox.length > 0 || this.ending) {
      this.clearPollTimer();
      this.sendSoon ??= setImmediate(() => {
        this.sendSoon = undefined;
        this.next();
      });
      return;
    }
    if (!this.handlers || this.paused || this.remoteClosed || this.pollTimer) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.next();
    }, this.pollDelayMs);
  }

  private next(): void {
    if (this.closed || this.busy) return;
    if (this.outbox.length > 0) void this.exchange('send', this.outbox.take(this.limits.maxSendBytes));
    else if (this.ending) void this.close();
    else if (this.handlers && !this.paused && !this.remoteClosed) void this.exchange('idle', [ZERO_BODY]);
  }

  /** One send or idle round trip. */
  private async exchange(command: TunnelCommand, chunks: Buffer[]): Promise<void> {
    this.busy = true;
    this.inFlightBytes = command === 'send' ? totalLength(chunks) : 0;
    const path = tunnelPath(command, this.id, this.seq++);
    try {
      const reply = await this.poster.post(path, chunks);
      if (this.closed) return;
      if (reply.status !== 200) throw this.statusError(reply.status, path, reply.body);
      if (reply.body.length === 0) throw new TunnelError(`the reply to ${path} from ${this.poster.where} has no polling byte: not an RTMPT server?`);
      const pollingByte = reply.body[0]!;
      const data = reply.body.subarray(1);
      this.busy = false;
      this.inFlightBytes = 0;
      if (data.length > 0) this.inbound.push(data);
      this.pollDelayMs =
        data.length > 0
          ? this.limits.minPollMs
          : Math.min(this.limits.maxPollMs, Math.max(this.limits.minPollMs, pollingByte * this.limits.pollUnitMs));
      if (pollingByte === CLOSED_POLLING_BYTE) this.remoteClosed = true;
      this.deliver();
      if (this.closed) return;
      if (this.needDrain && this.writableLength <= this.limits.highWaterMark / 2) {
        this.needDrain = false;
        this.handlers?.drain();
      }
      this.kick();
    } catch (error) {
      this.finish(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** `end()`: posts `/close` once everything written has been sent, then closes. */
  private async close(): Promise<void> {
    this.busy = true;
    try {
      if (!this.remoteClosed) await this.poster.post(tunnelPath('close', this.id, this.seq++), [ZERO_BODY]);
    } catch {
      // The server may already have dropped the session: closing is what we wanted anyway.
    }
    this.finish(undefined);
  }

  /** Hands received bytes to the RTMP session; closes once the server said so and all is delivered. */
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
    if (this.remoteClosed && this.inbound.length === 0 && !this.closed) this.finish(undefined);
  }

  private statusError(status: number, path: string, body: Buffer): TunnelError {
    const text = body.toString('utf8', 0, Math.min(body.length, 200)).trim();
    const meaning =
      status === 404 ? 'the server does not know this tunnel session (expired, closed, or not an RTMPT server)' : `HTTP ${status}`;
    return new TunnelError(`${this.poster.where} answered ${status} to ${path}: ${meaning}${text ? ` (${text})` : ''}`, status);
  }

  private clearPollTimer(): void {
    if (!this.pollTimer) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private finish(error: Error | undefined, closePoster = true): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    this.clearPollTimer();
    if (this.sendSoon) clearImmediate(this.sendSoon);
    this.sendSoon = undefined;
    this.outbox.clear();
    this.inbound = [];
    if (closePoster) this.poster.close();
    const handlers = this.handlers;
    if (handlers) process.nextTick(() => handlers.close(error));
  }
}
