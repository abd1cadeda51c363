import { DEFAULT_MAX_TAG_SIZE, FLV_MAX_TAG_SIZE } from './constants.js';

/** Options shared by `FlvReader`, `readFlvFile` and `indexFlvFile`. */
export interface FlvParseOptions {
  /**
   * Largest tag body accepted, in bytes. Default `DEFAULT_MAX_TAG_SIZE` (16 MiB − 1, all a UI24
   * can say). A larger tag throws `LimitExceededError` with `limit: 'maxTagSize'`.
   */
  maxTagSize?: number;
  /**
   * Accept back pointers (PreviousTagSize) that do not match the tag before them instead of
   * throwing `RtmpProtocolError`. FFmpeg-made files never need it. Default false.
   */
  tolerateBadBackPointers?: boolean;
}

/** `FlvParseOptions` with the defaults filled in. */
export interface ResolvedFlvParseOptions {
  maxTagSize: number;
  tolerateBadBackPointers: boolean;
}

/** Fills in the defaults; a `maxTagSize` that is not an integer in 0..16 MiB − 1 is a `RangeError`. */
export function resolveFlvParseOptions(options: FlvParseOptions = {}): ResolvedFlvParseOptions {
  const maxTagSize = options.maxTagSize ?? DEFAULT_MAX_TAG_SIZE;
  if (!Number.isInteger(maxTagSize) || maxTagSize < 0 || maxTagSize > FLV_MAX_TAG_SIZE) {
    throw new RangeError(`maxTagSize must be an integer in 0..${FLV_MAX_TAG_SIZE}, got ${String(maxTagSize)}`);
  }
  return { maxTagSize, tolerateBadBackPointers: options.tolerateBadBackPointers === true };
}

/** What to do when a file ends inside its header or a tag (a recording cut short by a crash). */
export type TruncatedFileMode = 'error' | 'stop';

/** Where and how an FLV input stopped short. */
export interface FlvTruncation {
  /**
   * Byte offset where the incomplete part starts: the end of the last complete tag (back pointer
   * included). Everything before it is a valid FLV file; appending starts here.
   */
  validLength: number;
  /** How many bytes of the incomplete part there are. */
  bytes: number;
  /** What was cut: the file header (with PreviousTagSize0) or a tag (with its back pointer). */
  inside: 'header' | 'tag';
}
