import { RtmpError, type RtmpErrorOptions } from '@rtmpkit/core';

/**
 * Something went wrong in the HTTP tunnel itself (not in the RTMP inside it): a refused request,
 * an unexpected HTTP status, a reply that is not RTMPT. `status` is the HTTP status involved, when
 * there is one (the one the server sent, or the one it answered a bad request with).
 */
export class TunnelError extends RtmpError {
  /** The HTTP status involved, if any. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMPT_TUNNEL');
    this.name = 'TunnelError';
    this.status = status;
  }
}
