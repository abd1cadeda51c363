import { DEFAULT_MAX_TAG_SIZE } from '@rtmpkit/flv';

/** Options of `vod()`. */
export interface VodOptions {
  /**
   * The folder of FLV files. `play name` on application `app` plays `<mediaDir>/<app>/<name>.flv`
   * (`name` may hold `/` for sub-folders; `name.flv` and `flv:name` are the same file). Required.
   */
  mediaDir: string;
  /** Applications served from files. Default: every application. */
  apps?: string[] | ((app: string) => boolean);
  /**
   * A play of a name that is no file here: `'pass'` (default) lets the next source or the live
   * hub have it (a recorded play then gets `NetStream.Play.StreamNotFound`, a live one waits for
   * a publisher); `'refuse'` answers `NetStream.Play.StreamNotFound` at once, whatever the start.
   */
  notFound?: 'pass' | 'refuse';
  /**
   * Media sent ahead of real time, in ms: the first `leadMs` of a play (and after a seek or an
   * unpause) go at once so players start fast, then tags go as their time comes. Default 1000;
   * `Infinity` sends as fast as the connection takes it.
   */
  leadMs?: number;
  /** Plays at once; more get `NetStream.Play.Failed`. Default 1000. */
  maxPlays?: number;
  /** File indexes kept for later plays (least recently used dropped). Default 64. */
  indexCacheSize?: number;
  /** Largest FLV tag body read, in bytes. Default 16 MiB − 1 (all a tag can hold). */
  maxTagSize?: number;
  /** The source's name in events, stats and logs. Default `vod`. */
  name?: string;
}

/** `VodOptions` with the defaults in place. */
export interface ResolvedVodOptions {
  mediaDir: string;
  apps: (app: string) => boolean;
  notFound: 'pass' | 'refuse';
  leadMs: number;
  maxPlays: number;
  indexCacheSize: number;
  maxTagSize: number;
  name: string;
}

export const VOD_DEFAULTS = Object.freeze({
  notFound: 'pass' as const,
  leadMs: 1000,
  maxPlays: 1000,
  indexCacheSize: 64,
  maxTagSize: DEFAULT_MAX_TAG_SIZE,
  name: 'vod',
});

function nonNegative(name: string, value: number, allowInfinity = false): number {
  if (allowInfinity && value === Infinity) return value;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`vod: ${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}

/** Checks the options and fills in the defaults (TypeError / RangeError: they come from local code). */
export function resolveVodOptions(options: VodOptions): ResolvedVodOptions {
  if (!options || typeof options.mediaDir !== 'string' || options.mediaDir.length === 0) {
    throw new TypeError("vod needs a media folder: vod({ mediaDir: '/srv/media' })");
  }
  const { apps } = options;
  const notFound = options.notFound ?? VOD_DEFAULTS.notFound;
  if (notFound !== 'pass' && notFound !== 'refuse') throw new RangeError(`vod: notFound must be 'pass' or 'refuse', got ${String(notFound)}`);
  return {
    mediaDir: options.mediaDir,
    apps: typeof apps === 'function' ? apps : Array.isArray(apps) ? (app) => apps.includes(app) : () => true,
    notFound,
    leadMs: nonNegative('leadMs', options.leadMs ?? VOD_DEFAULTS.leadMs, true),
    maxPlays: nonNegative('maxPlays', options.maxPlays ?? VOD_DEFAULTS.maxPlays),
    indexCacheSize: nonNegative('indexCacheSize', options.indexCacheSize ?? VOD_DEFAULTS.indexCacheSize),
    maxTagSize: nonNegative('maxTagSize', options.maxTagSize ?? VOD_DEFAULTS.maxTagSize),
    name: options.name ?? VOD_DEFAULTS.name,
  };
}
