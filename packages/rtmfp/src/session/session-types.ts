import type { RawChunk } from '../codec/chunk-frame.js';
import type { FIHelloChunk } from '../codec/chunks/hello-chunks.js';
import type { RecvFlow } from '../flow/recv-flow.js';
import type { SendFlow } from '../flow/send-flow.js';

/** Lifecycle: open; closing (flows finishing); nearclose (our close request out); farclose (the peer closed); closed. */
export type SessionMachineState = 'open' | 'closing' | 'nearclose' | 'farclose' | 'closed';

/** What the session tells the layer above. */
export interface SessionMachineEvents {
  /** A new flow from the peer: call `accept` or `reject` on it now (a flow left pending is refused). */
  incomingFlow(flow: RecvFlow): void;
  /** The session can no longer carry data; `error` when it failed (timeout, limit). Called once. */
  closed(error: Error | undefined): void;
  /** The peer refused one of our flows. */
  flowException?(flow: SendFlow, code: number): void;
  /** An introducer forwarded an initiator's hello to us (peer to peer). */
  forwardedHello?(chunk: FIHelloChunk): void;
}

/** A packet to seal: header fields and chunks. The mode and session id are the driver's. */
export interface OutgoingPacket {
  readonly timeCritical: boolean;
  readonly timeCriticalReverse: boolean;
  readonly timestamp?: number;
  readonly timestampEcho?: number;
  readonly chunks: RawChunk[];
}

/** A packet as received: header fields and framed chunks (already decrypted and checked). */
export interface IncomingPacket {
  readonly timeCritical?: boolean;
  readonly timestamp?: number;
  readonly timestampEcho?: number;
  readonly chunks: readonly RawChunk[];
}

