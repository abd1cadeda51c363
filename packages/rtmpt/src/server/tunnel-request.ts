import type { TunnelCommand } from '../protocol/tunnel-path.js';

/**
 * One send/idle/close request of a tunnel session, with its body read, as the session handles it.
 * The HTTP side builds it; tests can build one by hand.
 */
export interface TunnelRequest {
  readonly command: TunnelCommand;
  readonly seq: number;
  /** The request body: RTMP bytes for `send`, one ignored byte for `idle`/`close`. */
  readonly body: Buffer;
  /** False once the client's connection is gone (a reply would be lost). */
  readonly alive: boolean;
  /** Sends the 200 reply made of these chunks (the first is the polling byte). */
  reply(chunks: readonly Buffer[]): void;
}
