import type { Fragmentation } from '../codec/chunks/user-data.js';

/** One message written to a sending flow, as it is cut into fragments and acknowledged. */
export interface OutMessage {
  readonly data: Buffer;
  /** Bytes already cut into fragments. */
  offset: number;
  /** Absolute time (ms) after which the message is abandoned if not yet delivered; undefined: reliable. */
  readonly deadline: number | undefined;
  /** Fragments sent and not yet acknowledged. */
  unacked: number;
  abandoned: boolean;
}

/** A fragment that has a sequence number: sent at least once, not yet acknowledged. */
export interface SentFragment {
  readonly seq: number;
  readonly data: Buffer;
  readonly fragmentation: Fragmentation;
  readonly final: boolean;
  /** Undefined for the empty FIN fragment. */
  readonly message: OutMessage | undefined;
  /** Transmission order of the last send (session-wide counter), for loss detection. */
  tx: number;
  sentAt: number;
  /** Acknowledgements that showed later transmissions received while this one was missing. */
  naks: number;
  inFlight: boolean;
  /** Bytes counted in flight for this transmission (0 when sent abandoned). */
  flightBytes: number;
  lost: boolean;
  acked: boolean;
}

/** True when the fragment is to go out without its data (its message was abandoned). */
export function isAbandoned(fragment: SentFragment): boolean {
  return fragment.message?.abandoned ?? fragment.data.length === 0;
}

/** The fragmentation bits for a piece `[start, end)` of a message of `length` bytes. */
export function fragmentationOf(start: number, end: number, length: number): Fragmentation {
  const first = start === 0;
  const last = end >= length;
  if (first && last) return 'whole';
  if (first) return 'begin';
  return last ? 'end' : 'middle';
}
