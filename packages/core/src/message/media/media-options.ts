import { DEFAULT_MAX_MEDIA_TRACKS, DEFAULT_MAX_MODEX_ENTRIES, resolveLimit } from '../limits.js';

/** Limits for `parseVideoTag` / `parseAudioTag`. */
export interface MediaTagOptions {
  /** Most tracks one multitrack message may hold. Default `DEFAULT_MAX_MEDIA_TRACKS` (64). */
  maxTracks?: number;
  /** Most ModEx blocks one message may chain. Default `DEFAULT_MAX_MODEX_ENTRIES` (8). */
  maxModExEntries?: number;
}

/** `MediaTagOptions` with the defaults filled in. */
export interface ResolvedMediaTagOptions {
  maxTracks: number;
  maxModExEntries: number;
}

/** Fills in the defaults and checks the values. */
export function resolveMediaTagOptions(options: MediaTagOptions = {}): ResolvedMediaTagOptions {
  return {
    maxTracks: resolveLimit('maxTracks', options.maxTracks, DEFAULT_MAX_MEDIA_TRACKS),
    maxModExEntries: resolveLimit('maxModExEntries', options.maxModExEntries, DEFAULT_MAX_MODEX_ENTRIES),
  };
}
