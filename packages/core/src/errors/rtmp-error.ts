const RTMP_ERROR_MARKER = Symbol.for('@rtmpkit/core/error');

export interface RtmpErrorOptions {
  cause?: unknown;
}

/**
 * Base of every error rtmpkit throws on purpose. `name` and `code` are stable across releases;
 * match on them (or on `RtmpError.isInstance`) rather than on messages.
 */
export class RtmpError extends Error {
  /** Stable machine-readable code, e.g. `ERR_RTMP_PROTOCOL`. */
  readonly code: string;
  private readonly [RTMP_ERROR_MARKER] = true;

  constructor(message: string, options: RtmpErrorOptions = {}, code = 'ERR_RTMP') {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RtmpError';
    this.code = code;
  }

  /**
   * True for any rtmpkit error, even one made by another copy of this package
   * (two versions installed side by side), where `instanceof` would say false.
   */
  static isInstance(value: unknown): value is RtmpError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[RTMP_ERROR_MARKER] === true
    );
  }
}
