import { LimitExceededError, RtmpError } from '../../errors/index.js';

/** True for the RangeError V8 throws when recursion runs out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return !RtmpError.isInstance(error) && error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * A `maxDepth` raised past what the JavaScript stack holds ends in a stack overflow; report
 * it as the limit it is rather than as a bare RangeError. Other errors pass through.
 */
export function stackOverflowAsLimit(error: unknown, maxDepth: number): unknown {
  if (!isStackOverflow(error)) return error;
  return new LimitExceededError('maxDepth', maxDepth, 'AMF3 value nests deeper than the JavaScript stack allows', { cause: error });
}
