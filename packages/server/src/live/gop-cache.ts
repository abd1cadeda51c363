import type { MediaFrame } from './live-types.js';

/** Bounds of the GOP cache. Past any of them the cache is emptied until the next keyframe. */
export interface GopCacheOptions {
  /**
   * Payload bytes the cached GOP may hold. Default 4 MiB (keep it below `player.maxBytes`, or a
   * late player's replay is shed). 0 turns the cache off.
   */
  maxBytes?: number;
  /** Timestamp span from the keyframe to the newest frame, in ms. Default 10 000. */
  maxDurationMs?: number;
  /** Messages (audio and video) the cached GOP may hold. Default 4096. */
  maxMessages?: number;
}

/** The defaults of `GopCacheOptions`. */
export const GOP_CACHE_DEFAULTS: Readonly<Required<GopCacheOptions>> = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDurationMs: 10_000,
  maxMessages: 4096,
});

/**
 * A payload that is a small view of a much larger buffer (a socket read the chunk decoder sliced)
 * would keep the whole buffer alive while cached; such payloads are copied so the cache's byte
 * count is what it really holds.
 */
function compact(frame: MediaFrame): MediaFrame {
  const { payload } = frame;
  const backing = payload.buffer.byteLength;
  if (backing <= 16 * 1024 || payload.byteLength * 4 >= backing) return frame;
  return { ...frame, payload: Buffer.from(payload) };
}

/**
 * The audio and video since the last keyframe, so a player that arrives mid-stream starts at
 * once on a keyframe (after metadata and sequence headers, which the stream keeps apart).
 * Bounded by bytes, duration and count; when a GOP outgrows a bound the cache holds nothing until
 * the next keyframe, and new players wait for it.
 */
export class GopCache {
  private frames: MediaFrame[] = [];
  private byteCount = 0;
  private readonly limits: Required<GopCacheOptions>;

  constructor(options: GopCacheOptions = {}) {
    this.limits = { ...GOP_CACHE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) };
    for (const [key, value] of Object.entries(this.limits)) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`gopCache.${key} must be a non-negative integer, got ${String(value)}`);
    }
  }

  /** True when the cache is on (maxBytes > 0). */
  get enabled(): boolean {
    return this.limits.maxBytes > 0 && this.limits.maxMessages > 0;
  }

  /** Payload bytes held. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Messages held (0 while there is no usable GOP). */
  get size(): number {
    return this.frames.length;
  }

  /** Timestamp span of the cached GOP, in ms. */
  get durationMs(): number {
    if (this.frames.length < 2) return 0;
    return Math.max(0, this.frames[this.frames.length - 1]!.timestamp - this.frames[0]!.timestamp);
  }

  /** The cached GOP, keyframe first (empty when there is none). Do not modify. */
  get gop(): readonly MediaFrame[] {
    return this.frames;
  }

  /** Takes one audio or video frame (not headers, not data). */
  add(frame: MediaFrame): void {
    if (!this.enabled || frame.header || (frame.type !== 8 && frame.type !== 9)) return;
    if (frame.keyframe) {
      this.clear();
    } else if (this.frames.length === 0) {
      return; // no keyframe to start from: nothing a player could use
    }
    const kept = compact(frame);
    this.frames.push(kept);
    this.byteCount += kept.payload.length;
    const { maxBytes, maxDurationMs, maxMessages } = this.limits;
    if (this.byteCount > maxBytes || this.frames.length > maxMessages || this.durationMs > maxDurationMs) this.clear();
  }

  /** Forgets the GOP (the publisher left, or a bound was passed). */
  clear(): void {
    this.frames = [];
    this.byteCount = 0;
  }
}
