import { LimitExceededError, RtmpError } from '../../errors/index.js';

/** Default for `maxDepth`: how deeply objects and arrays may nest in one AMF0 value. */
export const AMF0_DEFAULT_MAX_DEPTH = 128;

/**
 * Checks a `maxDepth` option. A bad option is a programming error, so it throws a RangeError
 * rather than an RtmpError.
 */
export function resolveMaxDepth(maxDepth: number | undefined): number {
  if (maxDepth === undefined) return AMF0_DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`maxDepth must be a non-negative integer, got ${String(maxDepth)}`);
  }
  return maxDepth;
}

/**
 * Steps one level deeper into an object or array, or throws `LimitExceededError('maxDepth')`
 * when that would pass the limit. The caller steps back out (`depth--`) when done.
 */
export function enterNested(context: { depth: number; readonly maxDepth: number }, what: string): void {
  if (context.depth >= context.maxDepth) {
    throw new LimitExceededError(
      'maxDepth',
      context.maxDepth,
      `AMF0 ${what} nests deeper than ${context.maxDepth} levels of objects and arrays`,
    );
  }
  context.depth++;
}

/**
 * A `maxDepth` raised past what the JavaScript stack holds ends in a stack overflow; report
 * that as the limit it is, never as a bare RangeError.
 */
export function asDepthError(error: unknown, maxDepth: number): unknown {
  if (!RtmpError.isInstance(error) && error instanceof RangeError && /call stack/i.test(error.message)) {
    return new LimitExceededError('maxDepth', maxDepth, 'AMF0 value nests deeper than the JavaScript stack allows', {
      cause: error,
    });
  }
  return error;
}
