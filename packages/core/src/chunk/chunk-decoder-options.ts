import { assertChunkSize } from './chunk-arguments.js';
import { DEFAULT_CHUNK_SIZE } from './chunk-constants.js';

/**
 * Whether fmt 3 chunks carry the 4-byte extended timestamp when the header in force used
 * 0xFFFFFF. The 2012 spec, Flash, FMS, FFmpeg and librtmp 2.6 say yes; librtmp up to 2.4
 * leaves it out.
 * - `'always'`: read it (spec).
 * - `'never'`: never read it (librtmp 2.4 peers).
 * - `'auto'`: peek at the next 4 bytes and take them as the field only if they equal the value
 *   in force (the delta, or the message's absolute timestamp); otherwise they are chunk data.
 *   The decoder may then hold up to 3 bytes until more arrive.
 */
export type ExtendedTimestampMode = 'auto' | 'always' | 'never';

/** Options of `ChunkDecoder`. Every limit throws `LimitExceededError` naming the option. */
export interface ChunkDecoderOptions {
  /** Incoming chunk size before any Set Chunk Size. Default 128. */
  chunkSize?: number;
  /** Largest message length accepted, checked when its header arrives. Default 8 MiB. */
  maxMessageSize?: number;
  /** Largest Set Chunk Size accepted. Default 0x7FFFFFFF, the protocol maximum: memory is bounded by
   *  `maxMessageSize`, since a chunk is never longer than its message. */
  maxChunkSize?: number;
  /** Distinct chunk stream ids the peer may use (each keeps header state). Default 64. */
  maxChunkStreams?: number;
  /** Messages partly received at once (one per chunk stream at most). Default 16. */
  maxPartialMessages?: number;
  /** Bytes held for partly received messages, all chunk streams together. Default 32 MiB. */
  maxPartialBytes?: number;
  /** See `ExtendedTimestampMode`. Default `'auto'`. */
  extendedTimestampOnType3?: ExtendedTimestampMode;
  /**
   * Largest message whose reassembly buffer is kept and reused by the next message on the same
   * chunk stream. 0 (the default) = every message owns its payload. Above 0, a payload handed
   * to `onMessage` is only valid until the next message on its chunk stream starts: copy what
   * you keep. Saves an allocation per multi-chunk message on the hot path of a relay or server.
   * Memory kept: at most this many bytes per chunk stream.
   */
  reuseBuffersUpTo?: number;
}

/** The defaults of every `ChunkDecoderOptions` field. */
export const CHUNK_DECODER_DEFAULTS: Readonly<Required<ChunkDecoderOptions>> = Object.freeze({
  chunkSize: DEFAULT_CHUNK_SIZE,
  maxMessageSize: 8 * 1024 * 1024,
  maxChunkSize: 0x7fffffff,
  maxChunkStreams: 64,
  maxPartialMessages: 16,
  maxPartialBytes: 32 * 1024 * 1024,
  extendedTimestampOnType3: 'auto',
  reuseBuffersUpTo: 0,
});

const LIMIT_NAMES = ['maxMessageSize', 'maxChunkSize', 'maxChunkStreams', 'maxPartialMessages', 'maxPartialBytes', 'reuseBuffersUpTo'] as const;

/** Fills in defaults and checks each option (RangeError/TypeError: these come from local code). */
export function resolveChunkDecoderOptions(options: ChunkDecoderOptions): Required<ChunkDecoderOptions> {
  const resolved: Required<ChunkDecoderOptions> = { ...CHUNK_DECODER_DEFAULTS };
  for (const key of Object.keys(CHUNK_DECODER_DEFAULTS) as (keyof ChunkDecoderOptions)[]) {
    const value = options[key];
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  for (const name of LIMIT_NAMES) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
    }
  }
  assertChunkSize(resolved.maxChunkSize, 'maxChunkSize');
  assertChunkSize(resolved.chunkSize, 'chunkSize');
  if (resolved.chunkSize > resolved.maxChunkSize) {
    throw new RangeError(`chunkSize ${resolved.chunkSize} is above maxChunkSize ${resolved.maxChunkSize}`);
  }
  const mode = resolved.extendedTimestampOnType3;
  if (mode !== 'auto' && mode !== 'always' && mode !== 'never') {
    throw new TypeError(`extendedTimestampOnType3 must be 'auto', 'always' or 'never', got ${String(mode)}`);
  }
  return resolved;
}
