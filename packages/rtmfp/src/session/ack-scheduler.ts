import type { RawChunk } from '../codec/chunk-frame.js';
import { encodeAckRanges } from '../codec/chunks/ack.js';
import type { RecvFlow } from '../flow/recv-flow.js';
import type { PacketBuilder } from './packet-builder.js';

/** Below this many free blocks, every packet is acknowledged at once (the sender is about to stall). */
const SMALL_WINDOW_BLOCKS = 16;
/** Packets with user data after which an ack is due (rtmfp-cpp's OBLIGATORY_ACK_AFTER). */
const ACK_EVERY_PACKETS = 2;

/** Acknowledgements taken as packets arrive, each to go in a packet of its own, at most this many per round. */
const MAX_SNAPSHOTS = 64;

/**
 * When each receiving flow is acknowledged (RFC 7016 §3.6.3.4): at once on a gap, a repeat, a
 * fragment out of order, FIN, a small window or a buffer probe; otherwise after every second
 * packet of user data, or when the delayed-ack timer (200 ms) runs out; and along with anything
 * else we send. An ack due because of the packets that arrived is taken right then (a
 * snapshot), even when several packets are read in one go: the sender counts acknowledgements
 * to detect loss, and one lost ack must not hide a whole burst.
 */
export class AckScheduler {
  private readonly now = new Set<RecvFlow>();
  private readonly later = new Map<RecvFlow, number>();
  private readonly packets = new Map<RecvFlow, number>();
  private readonly snapshots: RawChunk[] = [];

  constructor(private readonly delayMs: number) {}

  /** True when some acknowledgement must go out now. */
  get urgent(): boolean {
    return this.now.size > 0 || this.snapshots.length > 0;
  }

  /** The acknowledgements taken as packets arrived, oldest first (and forgets them). */
  takeSnapshots(): RawChunk[] {
    return this.snapshots.splice(0);
  }

  /** The earliest delayed acknowledgement. */
  get nextAt(): number | undefined {
    let next: number | undefined;
    for (const at of this.later.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Acknowledge `flow` in the next packet. */
  due(flow: RecvFlow): void {
    this.now.add(flow);
  }

  /** A packet brought user data for these flows: acknowledge the ones now due as they are now. */
  endOfPacket(flows: Iterable<RecvFlow>, at: number): void {
    for (const flow of flows) {
      if (flow.bufferBlocksAvailable() < SMALL_WINDOW_BLOCKS) this.now.add(flow);
      if (!this.now.has(flow)) {
        const count = (this.packets.get(flow) ?? 0) + 1;
        this.packets.set(flow, count);
        if (count < ACK_EVERY_PACKETS) {
          if (!this.later.has(flow)) this.later.set(flow, at + this.delayMs);
          continue;
        }
      }
      this.forget(flow);
      if (this.snapshots.length >= MAX_SNAPSHOTS) this.snapshots.shift();
      this.snapshots.push(ackChunk(flow, 64));
    }
  }

  /** The flows to acknowledge in what is sent at `now`: the due ones, the delayed ones whose time came, and all of them when `piggyback`. */
  take(now: number, piggyback: boolean): RecvFlow[] {
    for (const [flow, at] of this.later) if (piggyback || at <= now) this.now.add(flow);
    const flows = [...this.now];
    for (const flow of flows) this.forget(flow);
    return flows;
  }

  /** Drops what is scheduled for `flow`. */
  forget(flow: RecvFlow): void {
    this.now.delete(flow);
    this.later.delete(flow);
    this.packets.delete(flow);
  }
}

/** A ranges acknowledgement of `flow` as it is now, with at most `maxRanges` ranges. */
export function ackChunk(flow: RecvFlow, maxRanges: number): RawChunk {
  return encodeAckRanges({ flowId: flow.id, bufferBlocksAvailable: flow.bufferBlocksAvailable(), cumulativeAck: flow.cumulativeAck, ranges: flow.ackRanges(maxRanges) });
}

/** Adds a ranges acknowledgement for `flow`, with as many ranges as fit (the receiver may cut the list). */
export function appendAck(builder: PacketBuilder, flow: RecvFlow): void {
  let max = 64;
  for (;;) {
    const chunk = ackChunk(flow, max);
    if (chunk.payload.length + 3 <= builder.free || max === 0) {
      builder.add(chunk);
      return;
    }
    if (builder.free >= 64) max = Math.floor(max / 2);
    else builder.startPacket();
  }
}
