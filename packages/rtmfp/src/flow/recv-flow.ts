import type { SequenceRange } from '../codec/chunks/ack.js';
import type { FlowFragment } from '../codec/chunks/user-data-run.js';
import { Reassembly } from './reassembly.js';

/** Where a receiving flow is: waiting for the application's answer, open, refused, or done (FIN reached). */
export type RecvFlowState = 'pending' | 'open' | 'rejected' | 'complete';

/** How a fragment fitted in: the next one, ahead of a gap, a repeat, or dropped for lack of room. */
export type ArrivalKind = 'in-order' | 'out-of-order' | 'duplicate' | 'dropped';

/** Limits of one receiving flow. */
export interface RecvFlowLimits {
  /** Receive buffer in bytes: what the window advertises when nothing is held. */
  readonly bufferBytes: number;
  /** Largest message put back together. */
  readonly maxMessageSize: number;
  /** Sequence numbers beyond the cumulative ack that are accepted at all (older senders' windows are far smaller). */
  readonly maxAhead: number;
}

/** What a receiving flow counted. */
export interface RecvFlowStats {
  messages: number;
  /** Sequence numbers never received: abandoned by the sender (ABN) or skipped over by its forward sequence number. */
  skippedFragments: number;
  /** Messages the sender abandoned that this side knows of: an abandoned first or whole fragment, or a half-built message given up. */
  abandonedMessages: number;
  duplicates: number;
}

/**
 * One flow from the peer (RFC 7016 §3.6.3): puts fragments back in order, honours the
 * forward sequence number (holes at or below it will never be filled: the receiver moves on)
 * and the ABN flag, reassembles messages, and says what to acknowledge. Pure: the session
 * decides when acks go out and reads `ackRanges()`/`bufferBlocksAvailable()` for them.
 */
export class RecvFlow {
  state: RecvFlowState = 'pending';
  /** Every sequence number up to here has arrived, or was abandoned or skipped. */
  cumulativeAck = 0;
  /** The sequence number that carried FIN, once seen. */
  finalSequenceNumber: number | undefined;
  readonly stats: RecvFlowStats = { messages: 0, skippedFragments: 0, abandonedMessages: 0, duplicates: 0 };
  /** Bytes the application holds undelivered (read-side backpressure); they shrink the window. */
  heldBytes = 0;
  /** Set when an exception report should go to the sender. */
  exceptionCode: number | undefined;
  private readonly ahead = new Map<number, FlowFragment>();
  private aheadBytes = 0;
  private readonly reassembly: Reassembly;
  private onMessage: ((data: Buffer) => void) | undefined;
  private onComplete: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly metadata: Buffer,
    /** Our sending flow this one answers (the return flow association), if any. */
    readonly returnFlowId: number | undefined,
    private readonly limits: RecvFlowLimits,
  ) {
    this.reassembly = new Reassembly(limits.maxMessageSize);
  }

  /** Takes the flow: `onMessage` gets each message in order, `onComplete` when the sender finished it (FIN). */
  accept(onMessage: (data: Buffer) => void, onComplete?: () => void): void {
    if (this.state !== 'pending') return;
    this.state = 'open';
    this.onMessage = onMessage;
    this.onComplete = onComplete;
  }

  /** Refuses (or aborts) the flow: the sender is told with a flow exception report and stops. */
  reject(code = 0): void {
    if (this.state === 'complete' || this.state === 'rejected') return;
    this.state = 'rejected';
    this.exceptionCode = code;
    this.ahead.clear();
    this.aheadBytes = 0;
    this.reassembly.dropPartial();
  }

  /** Fragments held beyond a gap. */
  get gaps(): boolean {
    return this.ahead.size > 0;
  }

  /** The window to advertise, in 1024-byte blocks (0 for a refused flow). */
  bufferBlocksAvailable(): number {
    if (this.state === 'rejected') return 0;
    const free = this.limits.bufferBytes - this.aheadBytes - this.heldBytes;
    return free > 0 ? Math.floor(free / 1024) : 0;
  }

  /** The runs received beyond the cumulative ack, ascending, at most `max` of them. */
  ackRanges(max = Infinity): SequenceRange[] {
    const ranges: SequenceRange[] = [];
    if (this.ahead.size === 0) return ranges;
    const keys = [...this.ahead.keys()].sort((a, b) => a - b);
    let from = keys[0]!;
    let to = from;
    for (let i = 1; i <= keys.length && ranges.length < max; i++) {
      const key = keys[i];
      if (key === to + 1) {
        to = key;
        continue;
      }
      ranges.push({ from, to });
      if (key !== undefined) from = to = key;
    }
    return ranges;
  }

  /**
   * Takes one fragment. Throws `LimitExceededError` when a message grows past `maxMessageSize`
   * (the session then fails). Returns how it fitted, for the acknowledgement rules.
   */
  receive(fragment: FlowFragment): ArrivalKind {
    const seq = fragment.sequenceNumber;
    let kind: ArrivalKind;
    if (seq <= this.cumulativeAck || this.ahead.has(seq)) {
      this.stats.duplicates++;
      kind = 'duplicate';
    } else if (seq - this.cumulativeAck > this.limits.maxAhead || !this.fits(fragment)) {
      kind = 'dropped';
    } else {
      kind = seq === this.cumulativeAck + 1 ? 'in-order' : 'out-of-order';
      if (fragment.final && this.finalSequenceNumber === undefined) this.finalSequenceNumber = seq;
      this.ahead.set(seq, fragment);
      this.aheadBytes += fragment.data.length;
    }
    if (fragment.forwardSequenceNumber > this.cumulativeAck) this.skipTo(fragment.forwardSequenceNumber);
    this.drain();
    return kind;
  }

  /**
   * Room for the fragment in the buffer. The next one in order is taken unless the application
   * itself holds a full buffer: it leaves at once (into a message or to the application), so a
   * message larger than the buffer can still be received.
   */
  private fits(fragment: FlowFragment): boolean {
    if (fragment.sequenceNumber === this.cumulativeAck + 1) return this.heldBytes < this.limits.bufferBytes;
    return this.aheadBytes + this.heldBytes + fragment.data.length <= this.limits.bufferBytes;
  }

  /** Everything at or below `fsn` that has not come will not come: deliver what did, skip the rest. */
  private skipTo(fsn: number): void {
    const below = [...this.ahead.keys()].filter((seq) => seq <= fsn).sort((a, b) => a - b);
    for (const seq of below) {
      if (seq > this.cumulativeAck + 1) this.skip(seq - this.cumulativeAck - 1);
      this.take(seq);
    }
    if (fsn > this.cumulativeAck) this.skip(fsn - this.cumulativeAck);
  }

  private drain(): void {
    while (this.ahead.has(this.cumulativeAck + 1)) this.take(this.cumulativeAck + 1);
    if (this.finalSequenceNumber !== undefined && this.cumulativeAck >= this.finalSequenceNumber && this.state !== 'complete') {
      const wasOpen = this.state === 'open';
      this.state = 'complete';
      this.reassembly.dropPartial();
      if (wasOpen) this.onComplete?.();
    }
  }

  private skip(count: number): void {
    this.cumulativeAck += count;
    this.stats.skippedFragments += count;
    this.dropPartial();
  }

  private dropPartial(): void {
    const before = this.reassembly.dropped;
    this.reassembly.dropPartial();
    this.stats.abandonedMessages += this.reassembly.dropped - before;
  }

  private take(seq: number): void {
    const fragment = this.ahead.get(seq)!;
    this.ahead.delete(seq);
    this.aheadBytes -= fragment.data.length;
    this.cumulativeAck = seq;
    if (fragment.final && this.finalSequenceNumber === undefined) this.finalSequenceNumber = seq;
    if (this.state !== 'open' && this.state !== 'pending') return;
    if (fragment.abandon) {
      if (fragment.final && fragment.data.length === 0) return; // the empty FIN that ends a flow
      this.stats.skippedFragments++;
      if (fragment.fragmentation === 'whole' || fragment.fragmentation === 'begin') this.stats.abandonedMessages++;
      this.dropPartial();
      return;
    }
    const before = this.reassembly.dropped;
    const outcome = this.reassembly.push(fragment.fragmentation, fragment.data);
    this.stats.abandonedMessages += this.reassembly.dropped - before;
    if (outcome.kind === 'message') {
      this.stats.messages++;
      this.onMessage?.(outcome.data);
    }
  }
}
