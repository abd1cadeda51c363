import { LimitExceededError } from '../errors/index.js';

/** Default for `maxValues`: AMF values one command, data or shared-object message may hold. */
export const DEFAULT_MAX_AMF_VALUES = 256;
/** Default for `maxMessages`: inner messages one aggregate message may hold. */
export const DEFAULT_MAX_AGGREGATE_MESSAGES = 4096;
/** Default for `maxTracks`: tracks one Enhanced RTMP multitrack audio or video message may hold. */
export const DEFAULT_MAX_MEDIA_TRACKS = 64;
/** Default for `maxModExEntries`: ModEx blocks one Enhanced RTMP audio or video message may chain. */
export const DEFAULT_MAX_MODEX_ENTRIES = 8;
/** Default for `maxEvents`: events one shared-object message may hold. */
export const DEFAULT_MAX_SHARED_OBJECT_EVENTS = 1024;

/**
 * Reads a limit option, falling back to its default. A bad option is a programming error, so it
 * throws a RangeError (not an RtmpError), as the AMF codecs do.
 */
export function resolveLimit(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${option} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Throws `LimitExceededError` naming `option` when `count` is above `limit`. */
export function checkLimit(option: string, limit: number, count: number, what: string): void {
  if (count > limit) throw new LimitExceededError(option, limit, `${what}: ${count}`);
}
