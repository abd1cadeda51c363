import type { StatusInfo } from '@rtmpkit/core';
import type { RtmpMessage } from '@rtmpkit/core';
import type { PublisherInfo } from './live-types.js';

/** Why a publication ended. */
export type UnpublishReason = 'ended' | 'idle' | 'takeover' | 'shutdown';

/** What the owner of a publication (an RTMP session, a pull relay…) is told by the hub. */
export interface PublicationOwner {
  /**
   * The hub ended the publication from outside (another publisher took over, no media for
   * `idlePublisherTimeoutMs`, the server shuts down). The owner stops its source: the RTMP
   * layer closes the publisher's connection. Messages pushed after this are ignored.
   */
  evicted(reason: Exclude<UnpublishReason, 'ended'>): void;
  /** Sends a status to the publisher (e.g. `NetStream.Record.Start` from the recorder). */
  notify?(info: StatusInfo): void;
}

/** What a publication needs of its stream. */
export interface PublicationHost {
  deliver(publication: Publication, message: RtmpMessage): void;
  finished(publication: Publication, reason: UnpublishReason): void;
}

/**
 * One publisher's turn on a live stream: from `hub.publish()` until `end()` (the publisher left)
 * or the hub evicts it. `push()` hands its messages to the hub, which classifies them, keeps
 * metadata, sequence headers and the GOP, and fans them out.
 */
export class Publication {
  /** When it started (ms since epoch). */
  readonly startedAt = Date.now();
  private ended = false;
  private lastMediaAt = Date.now();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly app: string,
    readonly name: string,
    readonly publisher: PublisherInfo,
    private readonly owner: PublicationOwner,
    private readonly host: PublicationHost,
    private readonly idleTimeoutMs: number,
  ) {
    if (idleTimeoutMs > 0) this.armIdle();
  }

  /** True until the publication ended. */
  get active(): boolean {
    return !this.ended;
  }

  /** One audio, video or data message of the publisher (ignored once ended). */
  push(message: RtmpMessage): void {
    if (this.ended) return;
    if (message.type === 8 || message.type === 9) this.lastMediaAt = Date.now();
    this.host.deliver(this, message);
  }

  /** Tells the publisher something (a status on its NetStream); false when nobody listens. */
  notify(info: StatusInfo): boolean {
    if (this.ended || !this.owner.notify) return false;
    this.owner.notify(info);
    return true;
  }

  /** The publisher left (closeStream, deleteStream, its connection closed). Idempotent. */
  end(): void {
    this.finish('ended');
  }

  /** The hub ends it: the owner is told to stop its source. */
  evict(reason: Exclude<UnpublishReason, 'ended'>): void {
    if (this.ended) return;
    this.finish(reason);
    try {
      this.owner.evicted(reason);
    } catch {
      // The owner's failure to clean up must not stop the hub.
    }
  }

  private finish(reason: UnpublishReason): void {
    if (this.ended) return;
    this.ended = true;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.host.finished(this, reason);
  }

  /** Re-armed from the last media time, like the session's idle deadline: no timer per message. */
  private armIdle(): void {
    const wait = Math.max(1, this.idleTimeoutMs - (Date.now() - this.lastMediaAt));
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.ended) return;
      if (Date.now() - this.lastMediaAt >= this.idleTimeoutMs) this.evict('idle');
      else this.armIdle();
    }, wait);
    this.idleTimer.unref?.();
  }
}
