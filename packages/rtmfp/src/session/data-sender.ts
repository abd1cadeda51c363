import type { SendFlow } from '../flow/send-flow.js';
import type { Flight } from './flight.js';
import type { PacketBuilder } from './packet-builder.js';
import { fragmentRoom, frameFragment } from './user-data-framing.js';

/** How a round of sending ended: nothing more could go, or the burst limit stopped it (send again soon). */
export type SendRound = 'done' | 'burst';

/**
 * Fills packets with user data: flows take turns, one fragment each per turn (retransmissions
 * before new data within a flow), while the congestion window, the receivers' windows and the
 * burst limit allow. Returns the data bytes sent and how the round ended.
 */
export function sendData(builder: PacketBuilder, flows: readonly SendFlow[], flight: Flight, now: number): { round: SendRound; dataBytes: number } {
  let dataBytes = 0;
  const limit = flight.burstLimit;
  flight.roundDone();
  for (let progress = true; progress; ) {
    progress = false;
    for (const flow of flows) {
      if (!flow.hasWork) continue;
      const sent = sendOne(builder, flow, flight, now, limit);
      if (sent === 'burst') return { round: 'burst', dataBytes };
      if (sent >= 0) {
        progress = true;
        dataBytes += sent;
      }
    }
  }
  return { round: 'done', dataBytes };
}

/** Puts the next fragment of `flow` in the packets (opening a new packet once if it does not fit); its data bytes, or -1. */
function sendOne(builder: PacketBuilder, flow: SendFlow, flight: Flight, now: number, limit: number): number | 'burst' {
  for (let attempt = 0; attempt < 2; attempt++) {
    if ((attempt === 1 || !builder.currentHasData) && builder.dataPackets >= limit) return 'burst';
    const fsn = flow.forwardSequenceNumber();
    const piece = flow.next((seq) => fragmentRoom(builder, flow, seq, fsn), flight.mayGrow);
    if (piece) {
      const chunk = frameFragment(builder, flow, piece, fsn);
      builder.add(chunk, { flowId: flow.id, seq: piece.fragment.seq, timeCritical: flow.timeCritical });
      flight.sent(flow, piece, now);
      return piece.abandon ? 0 : piece.fragment.data.length;
    }
    if (attempt === 1 || builder.free >= 1000 || !flow.sendable(flight.mayGrow)) return -1;
    builder.startPacket();
  }
  return -1;
}
