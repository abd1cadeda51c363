import type { SequenceRange } from '../codec/chunks/ack.js';
import { fragmentationOf, isAbandoned, type OutMessage, type SentFragment } from './send-message.js';

/** Where a sending flow is: open, finishing (FIN queued or sent), done (FIN acknowledged). */
export type SendFlowState = 'open' | 'closing' | 'complete';

/** How a flow is opened. */
export interface SendFlowOptions {
  /** The user's per-flow metadata (Flash: `TC 04 <stream id>`), sent until the first ack. */
  readonly metadata: Buffer;
  /** The peer's flow this one answers (return flow association). */
  readonly returnFlowId?: number;
  /** Real-time media: packets carrying it set the TC flag. */
  readonly timeCritical?: boolean;
}

/** What an acknowledgement did to a flow. */
export interface AckOutcome {
  /** Data bytes newly acknowledged that were counted in flight. */
  readonly ackedBytes: number;
  /** Fragments newly acknowledged. */
  readonly ackedCount: number;
  /** Bytes that left the flight without an ack: fragments now deemed lost. */
  readonly lostBytes: number;
  /** The newest transmission among the newly lost fragments (for one congestion response per window). */
  readonly lostTx: number;
  /** Fragments still missing that this ack showed later transmissions past (a "duplicate ack"). */
  readonly nakked: number;
}

/** A fragment ready to frame: numbers, flags and data. */
export interface FragmentToSend {
  readonly fragment: SentFragment;
  /** Send with the ABN flag and no data. */
  readonly abandon: boolean;
}

/** The window assumed until the first ack says otherwise (64 KiB, as rtmfp-cpp). */
export const INITIAL_PEER_WINDOW = 65536;
/** A new fragment is not cut smaller than this unless the message ends sooner. */
export const MIN_FRAGMENT = 64;

/**
 * One flow to the peer (RFC 7016 §3.6.2) as a pure state machine: messages are queued, cut
 * into fragments when there is room in a packet, numbered, kept until acknowledged, detected as
 * lost (3 later acknowledgements, or a timeout the session declares) and sent again. Messages
 * with a deadline are abandoned once it passes: unsent parts are dropped, lost parts go out
 * again as empty ABN fragments, and the forward sequence number moves past them so the
 * receiver does not wait. The session owns congestion control and packet filling.
 */
export class SendFlow {
  state: SendFlowState = 'open';
  /** The receiver's window in bytes, from its last ack. */
  peerWindow = INITIAL_PEER_WINDOW;
  /** True once any ack arrived: options are no longer sent. */
  acknowledged = false;
  /** Bytes of this flow in flight. */
  inFlight = 0;
  /** Messages abandoned before they were wholly acknowledged. */
  abandonedMessages = 0;
  /** Fragments sent again. */
  retransmissions = 0;
  /** Set when the receiver refused the flow (its exception code). */
  exception: number | undefined;
  /** Persist timer for buffer probes while the window is closed. */
  probeAt: number | undefined;
  probeInterval = 1000;
  readonly metadata: Buffer;
  readonly returnFlowId: number | undefined;
  readonly timeCritical: boolean;
  private readonly queue: OutMessage[] = [];
  private queueHead = 0;
  private unsent = 0;
  private outstandingData = 0;
  /** Messages with a deadline, in write order, until delivered or abandoned. */
  private readonly timed: OutMessage[] = [];
  private readonly outstanding: SentFragment[] = [];
  private readonly retransmit: SentFragment[] = [];
  private nextSeq = 1;
  private finQueued = false;
  private finSeq: number | undefined;
  private highestAckedTx = 0;

  constructor(
    readonly id: number,
    options: SendFlowOptions,
  ) {
    this.metadata = options.metadata;
    this.returnFlowId = options.returnFlowId;
    this.timeCritical = options.timeCritical ?? false;
  }

  /** Bytes written and not yet acknowledged (unsent plus outstanding). */
  get bufferedBytes(): number {
    return this.unsent + this.outstandingData;
  }

  /** The sequence number the next new fragment gets. */
  get nextSequenceNumber(): number {
    return this.nextSeq;
  }

  /** Bytes written and not yet cut into fragments. */
  get unsentBytes(): number {
    return this.unsent;
  }

  /** True while something waits to be sent: a lost fragment, new data, or the FIN. */
  get hasWork(): boolean {
    return this.retransmitHead() !== undefined || this.unsent > 0 || (this.finQueued && this.finSeq === undefined);
  }

  /** True when only the receiver's closed window holds new data back. */
  get windowClosed(): boolean {
    return this.peerWindow === 0 && this.inFlight === 0 && this.unsent > 0;
  }

  /** The deadline of the oldest timed message still undelivered (deadlines are taken in write order). */
  get nextDeadline(): number | undefined {
    while (this.timed.length > 0 && this.isSettled(this.timed[0]!)) this.timed.shift();
    return this.timed[0]?.deadline;
  }

  private isSettled(message: OutMessage): boolean {
    return message.abandoned || (message.offset >= message.data.length && message.unacked === 0);
  }

  /** Queues a message; `deadline` (absolute ms) makes it abandonable. Refused after `close()`. */
  write(data: Buffer, deadline?: number): boolean {
    if (this.state !== 'open' || this.exception !== undefined) return false;
    const message: OutMessage = { data, offset: 0, deadline, unacked: 0, abandoned: false };
    this.queue.push(message);
    if (deadline !== undefined) this.timed.push(message);
    this.unsent += data.length;
    return true;
  }

  /** Finishes the flow: a FIN follows what is queued. */
  close(): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.finQueued = true;
  }

  /** The receiver refused the flow: drop everything, send the FIN. */
  onException(code: number): void {
    if (this.exception !== undefined) return;
    this.exception = code;
    for (let i = this.queueHead; i < this.queue.length; i++) this.abandon(this.queue[i]!);
    this.queue.length = this.queueHead = 0;
    this.unsent = 0;
    this.timed.length = 0;
    for (const fragment of this.outstanding) if (fragment.message) this.abandon(fragment.message);
    this.close();
  }

  /** Abandons the messages whose deadline passed; returns how many. */
  abandonExpired(now: number): number {
    let count = 0;
    while (this.timed.length > 0 && this.timed[0]!.deadline! <= now) {
      const message = this.timed.shift()!;
      if (this.isSettled(message)) continue;
      this.abandon(message);
      count++;
    }
    return count;
  }

  private abandon(message: OutMessage): void {
    if (message.abandoned) return;
    message.abandoned = true;
    this.unsent -= message.data.length - message.offset;
    message.offset = message.data.length;
    this.abandonedMessages++;
  }

  private compactQueue(): void {
    this.queue.splice(0, this.queueHead);
    this.queueHead = 0;
  }

  /** Nothing at or below this will be sent again: the oldest fragment still to deliver, less one. */
  forwardSequenceNumber(): number {
    for (const fragment of this.outstanding) {
      if (!fragment.acked && !isAbandoned(fragment)) return fragment.seq - 1;
    }
    return this.nextSeq - 1;
  }

  private retransmitHead(): SentFragment | undefined {
    while (this.retransmit.length > 0) {
      const head = this.retransmit[0]!;
      if (!head.acked && head.lost) return head;
      this.retransmit.shift();
    }
    return undefined;
  }

  /** True when `next` would give a fragment given enough room in the packet. */
  sendable(mayGrow: boolean): boolean {
    if (this.retransmitHead()) return true;
    if (!mayGrow) return false;
    if (this.unsent > 0) {
      let head: OutMessage | undefined;
      for (let i = this.queueHead; i < this.queue.length && !head; i++) if (!this.queue[i]!.abandoned) head = this.queue[i];
      const left = head ? head.data.length - head.offset : 0;
      return this.windowRoom(left) >= Math.min(left, MIN_FRAGMENT) && left > 0;
    }
    return this.finQueued && this.finSeq === undefined;
  }

  /** Data bytes the receiver's window allows now, for a message with `left` bytes to go. */
  private windowRoom(left: number): number {
    if (this.inFlight === 0) return this.peerWindow > 0 ? Math.max(this.peerWindow, left) : 0;
    return this.peerWindow - this.inFlight;
  }

  /**
   * The next fragment to send, with at most `room(seq)` bytes of data, or undefined. Lost
   * fragments come first (their data as it was; an abandoned one goes empty). New data needs
   * `mayGrow` (the congestion window allows it) and room in the receiver's window.
   */
  next(room: (seq: number) => number, mayGrow: boolean): FragmentToSend | undefined {
    const lost = this.retransmitHead();
    if (lost) {
      const abandon = isAbandoned(lost);
      if (!abandon && lost.data.length > room(lost.seq)) return undefined;
      this.retransmit.shift();
      lost.lost = false;
      this.retransmissions++;
      return { fragment: lost, abandon };
    }
    if (!mayGrow) return undefined;
    while (this.queueHead < this.queue.length && this.queue[this.queueHead]!.abandoned) this.queue[this.queueHead++] = undefined as never;
    const message = this.queue[this.queueHead];
    if (message) {
      const left = message.data.length - message.offset;
      const size = Math.min(left, room(this.nextSeq), this.windowRoom(left));
      if (size <= 0 || (size < left && size < MIN_FRAGMENT)) return undefined;
      const start = message.offset;
      message.offset += size;
      this.unsent -= size;
      if (message.offset >= message.data.length) {
        this.queue[this.queueHead++] = undefined as never;
        if (this.queueHead > 64 && this.queueHead * 2 > this.queue.length) this.compactQueue();
      }
      message.unacked++;
      return { fragment: this.numbered(message.data.subarray(start, start + size), fragmentationOf(start, start + size, message.data.length), false, message), abandon: false };
    }
    if (this.finQueued && this.finSeq === undefined) {
      const fin = this.numbered(Buffer.alloc(0), 'whole', true, undefined);
      this.finSeq = fin.seq;
      return { fragment: fin, abandon: true };
    }
    return undefined;
  }

  private numbered(data: Buffer, fragmentation: SentFragment['fragmentation'], final: boolean, message: OutMessage | undefined): SentFragment {
    const fragment: SentFragment = {
      seq: this.nextSeq++, data, fragmentation, final, message,
      tx: 0, sentAt: 0, naks: 0, inFlight: false, flightBytes: 0, lost: false, acked: false,
    };
    this.outstanding.push(fragment);
    this.outstandingData += data.length;
    return fragment;
  }

  /** Records that `fragment` went out now, as transmission number `tx`. */
  sent(fragment: SentFragment, abandon: boolean, tx: number, now: number): number {
    fragment.tx = tx;
    fragment.sentAt = now;
    fragment.naks = 0;
    fragment.inFlight = true;
    // An empty (abandoned, FIN) fragment counts one byte, so that the retransmission timer watches it.
    fragment.flightBytes = abandon ? 1 : Math.max(1, fragment.data.length);
    this.inFlight += fragment.flightBytes;
    return fragment.flightBytes;
  }

  /** The receiver's acknowledgement for this flow (RFC 7016 §3.6.2.4). */
  onAck(bufferBlocksAvailable: number, cumulativeAck: number, ranges: readonly SequenceRange[]): AckOutcome {
    this.acknowledged = true;
    this.peerWindow = bufferBlocksAvailable * 1024;
    if (this.peerWindow > 0) this.probeAt = undefined;
    let ackedBytes = 0;
    let ackedCount = 0;
    let range = 0;
    for (const fragment of this.outstanding) {
      if (fragment.acked) continue;
      const seq = fragment.seq;
      while (range < ranges.length && ranges[range]!.to < seq) range++;
      const covered = seq <= cumulativeAck || (range < ranges.length && ranges[range]!.from <= seq);
      if (!covered) continue;
      fragment.acked = true;
      this.outstandingData -= fragment.data.length;
      ackedCount++;
      if (fragment.inFlight) {
        fragment.inFlight = false;
        this.inFlight -= fragment.flightBytes;
        ackedBytes += fragment.flightBytes;
      }
      if (fragment.tx > this.highestAckedTx) this.highestAckedTx = fragment.tx;
      if (fragment.message) fragment.message.unacked--;
    }
    let lostBytes = 0;
    let lostTx = 0;
    let nakked = 0;
    for (const fragment of this.outstanding) {
      if (fragment.acked || !fragment.inFlight || fragment.tx >= this.highestAckedTx) continue;
      nakked++;
      if (++fragment.naks >= 3) {
        lostBytes += this.markLost(fragment);
        lostTx = Math.max(lostTx, fragment.tx);
      }
    }
    this.compact();
    return { ackedBytes, ackedCount, lostBytes, lostTx, nakked };
  }

  /** The retransmission timer fired: everything in flight is deemed lost. Returns the bytes. */
  onTimeout(): number {
    let bytes = 0;
    for (const fragment of this.outstanding) if (fragment.inFlight && !fragment.acked) bytes += this.markLost(fragment);
    return bytes;
  }

  private markLost(fragment: SentFragment): number {
    fragment.inFlight = false;
    fragment.lost = true;
    this.inFlight -= fragment.flightBytes;
    this.retransmit.push(fragment);
    if (this.retransmit.length > 1 && this.retransmit[this.retransmit.length - 2]!.seq > fragment.seq) {
      this.retransmit.sort((a, b) => a.seq - b.seq);
    }
    return fragment.flightBytes;
  }

  private compact(): void {
    let drop = 0;
    while (drop < this.outstanding.length && this.outstanding[drop]!.acked) drop++;
    if (drop > 0) this.outstanding.splice(0, drop);
    if (this.finSeq !== undefined && this.outstanding.length === 0 && this.state === 'closing') this.state = 'complete';
  }
}
