/** How one player's media is written, and the limits of its queue (what waits while its connection is backed up). */
export interface PlayerQueueOptions {
  /**
   * Media may wait up to this long (ms) to be written to the player together with the messages
   * after it: one write per interval instead of one per audio or video message, which cuts the
   * server's CPU per player by half or more (BENCHMARKS.md). Never more than a quarter of the
   * buffer the player declared (SetBufferLength: FFmpeg says 3000 ms, Flash's live default
   * 100 ms). A player's start, commands and status messages are never held. Default 200; 0
   * writes every message at once (lowest latency).
   */
  coalesceMs?: number;
  /**
   * Queued payload bytes past which the player is behind: queued video (not sequence headers)
   * is dropped, and so is new video until the next keyframe. Default 8 MiB (a late player's
   * GOP replay lands here first, so keep it above `live.gopCache.maxBytes`).
   */
  maxBytes?: number;
  /** The oldest queued message has waited this long (ms): behind, as above. Default 5000. */
  maxDelayMs?: number;
  /** Keep audio while dropping video (false: audio is dropped with it). Default true. */
  keepAudio?: boolean;
  /** Queued bytes past which the player is disconnected. Default 32 MiB. */
  disconnectBytes?: number;
  /** Messages have waited and the connection took nothing for this long (ms): disconnected. Default 15 000. */
  disconnectAfterMs?: number;
}

/** The defaults of `PlayerQueueOptions`. */
export const PLAYER_QUEUE_DEFAULTS: Readonly<Required<PlayerQueueOptions>> = Object.freeze({
  coalesceMs: 200,
  maxBytes: 8 * 1024 * 1024,
  maxDelayMs: 5000,
  keepAudio: true,
  disconnectBytes: 32 * 1024 * 1024,
  disconnectAfterMs: 15_000,
});

/** Checks and fills in `PlayerQueueOptions`. */
export function resolvePlayerQueueOptions(options: PlayerQueueOptions = {}): Required<PlayerQueueOptions> {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved = { ...PLAYER_QUEUE_DEFAULTS, ...defined } as Required<PlayerQueueOptions>;
  for (const key of ['maxBytes', 'maxDelayMs', 'disconnectBytes', 'disconnectAfterMs'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`player.${key} must be a positive integer, got ${String(value)}`);
  }
  const { coalesceMs } = resolved;
  if (!Number.isSafeInteger(coalesceMs) || coalesceMs < 0 || coalesceMs > 1000) {
    throw new RangeError(`player.coalesceMs must be an integer from 0 to 1000, got ${String(coalesceMs)}`);
  }
  if (resolved.disconnectBytes < resolved.maxBytes) {
    throw new RangeError(`player.disconnectBytes (${resolved.disconnectBytes}) must be at least player.maxBytes (${resolved.maxBytes})`);
  }
  return resolved;
}

/** What the queue needs to know of an entry. */
export interface QueueEntry {
  /** Bytes it holds (payload; 0 for control entries). */
  readonly bytes: number;
  readonly kind: 'video' | 'audio' | 'other';
  /** A video keyframe. */
  readonly keyframe: boolean;
  /** Never dropped: sequence headers, metadata, status messages. */
  readonly keep: boolean;
}

/** What `offer` did with an entry. */
export type OfferResult = 'queued' | 'dropped' | 'disconnect';

interface Held<T> {
  entry: T;
  at: number;
}

/**
 * The queue of one player and its drop policy. Entries wait here only while the player's
 * connection is backed up. When the player is behind (`maxBytes` or `maxDelayMs`), queued video
 * is dropped (audio too unless `keepAudio`), and new video is dropped until the next keyframe, so
 * playback resumes cleanly there. Sequence headers, metadata and status messages are never
 * dropped. Past `disconnectBytes`, or when nothing was taken for `disconnectAfterMs`, `offer`
 * answers `disconnect`. Pure: the caller passes the time.
 */
export class PlayerQueue<T extends QueueEntry> {
  private items: Array<Held<T> | undefined> = [];
  private head = 0;
  private byteCount = 0;
  private peak = 0;
  private dropCount = 0;
  private waitingForKeyframe = true;
  private lastProgress: number;
  private readonly limits: Required<PlayerQueueOptions>;

  constructor(options: PlayerQueueOptions = {}, now = Date.now()) {
    this.limits = resolvePlayerQueueOptions(options);
    this.lastProgress = now;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.byteCount;
  }

  /** The most bytes held at once. */
  get peakBytes(): number {
    return this.peak;
  }

  /** Frames dropped so far. */
  get dropped(): number {
    return this.dropCount;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** True while new video is dropped until a keyframe. */
  get needsKeyframe(): boolean {
    return this.waitingForKeyframe;
  }

  /** Drop video until the next keyframe (a new publisher, an unpause). */
  resync(): void {
    this.waitingForKeyframe = true;
  }

  /** The consumer took something (the connection drained): the stall clock restarts. */
  progress(now: number): void {
    this.lastProgress = now;
  }

  /**
   * The queue is empty and the consumer ready: may this entry go straight out? Applies the
   * keyframe gate as `offer` would (false: dropped and counted), without queueing anything.
   */
  passDirect(kind: QueueEntry['kind'], keyframe: boolean, keep: boolean): boolean {
    if (!keep && kind === 'video') {
      if (this.waitingForKeyframe && !keyframe) {
        this.dropCount++;
        return false;
      }
      this.waitingForKeyframe = false;
    }
    return true;
  }

  /** Takes an entry, drops it, or says the player must be disconnected. */
  offer(entry: T, now: number): OfferResult {
    if (this.length > 0 && now - this.lastProgress >= this.limits.disconnectAfterMs) return 'disconnect';
    if (this.length === 0) this.lastProgress = now; // waiting starts now
    if (this.isBehind(entry, now)) {
      this.shed();
      if (!entry.keep && entry.kind === 'audio' && !this.limits.keepAudio) return this.drop();
    }
    if (!entry.keep && entry.kind === 'video') {
      if (this.waitingForKeyframe && !entry.keyframe) return this.drop();
      this.waitingForKeyframe = false;
    }
    this.items.push({ entry, at: now });
    this.byteCount += entry.bytes;
    if (this.byteCount > this.peak) this.peak = this.byteCount;
    return this.byteCount > this.limits.disconnectBytes ? 'disconnect' : 'queued';
  }

  /** The next entry to send, or undefined. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const held = this.items[this.head]!;
    this.items[this.head++] = undefined;
    this.byteCount -= held.entry.bytes;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return held.entry;
  }

  /** Empties the queue (the player left). */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
  }

  /** Counts a frame dropped outside the queue (e.g. while paused). */
  countDrop(): void {
    this.dropCount++;
  }

  private isBehind(entry: T, now: number): boolean {
    if (this.byteCount + entry.bytes > this.limits.maxBytes) return true;
    const oldest = this.items[this.head];
    return oldest !== undefined && now - oldest.at > this.limits.maxDelayMs;
  }

  /** Drops queued video (and audio unless kept); new video waits for a keyframe. */
  private shed(): void {
    const { keepAudio } = this.limits;
    const kept: Array<Held<T> | undefined> = [];
    let bytes = 0;
    for (let i = this.head; i < this.items.length; i++) {
      const held = this.items[i]!;
      const { entry } = held;
      const droppable = !entry.keep && (entry.kind === 'video' || (entry.kind === 'audio' && !keepAudio));
      if (droppable) {
        this.dropCount++;
      } else {
        kept.push(held);
        bytes += entry.bytes;
      }
    }
    this.items = kept;
    this.head = 0;
    this.byteCount = bytes;
    this.waitingForKeyframe = true;
  }

  private drop(): OfferResult {
    this.dropCount++;
    return 'dropped';
  }
}
