import { CHUNK_HEADER_SIZE, type RawChunk } from '../codec/chunk-frame.js';
import { encodeNextUserData, encodeUserData } from '../codec/chunks/user-data.js';
import { vluLength } from '../codec/vlu.js';
import type { FragmentToSend, SendFlow } from '../flow/send-flow.js';
import { userDataOptionsSize, type PacketBuilder } from './packet-builder.js';

const EMPTY = Buffer.alloc(0);

/**
 * Data bytes that fit in the packet being filled for fragment `seq` of `flow`: what is free less
 * its User Data header (flags, flow id, sequence number, forward offset against `fsn`, and the
 * options until the flow's first ack).
 */
export function fragmentRoom(builder: PacketBuilder, flow: SendFlow, seq: number, fsn: number): number {
  const options = flow.acknowledged ? 0 : userDataOptionsSize(flow.metadata, flow.returnFlowId);
  const header = CHUNK_HEADER_SIZE + 1 + vluLength(flow.id) + vluLength(seq) + vluLength(Math.max(0, seq - fsn)) + options;
  return builder.free - header;
}

/**
 * Frames one fragment: Next User Data when it directly follows the flow's previous fragment in
 * this packet, else User Data with the forward sequence number `fsn` as an offset. Options go
 * along until the flow's first ack. An abandoned fragment carries no data. When the chunk would
 * not fit, a new packet is started first (and the fragment framed as User Data).
 */
export function frameFragment(builder: PacketBuilder, flow: SendFlow, piece: FragmentToSend, fsn: number): RawChunk {
  const fragment = piece.fragment;
  const common = {
    fragmentation: fragment.fragmentation,
    abandon: piece.abandon,
    final: fragment.final,
    ...(!flow.acknowledged && { options: { metadata: flow.metadata, ...(flow.returnFlowId !== undefined && { returnFlowId: flow.returnFlowId }) } }),
    data: piece.abandon ? EMPTY : fragment.data,
  };
  if (builder.continues(flow.id, fragment.seq)) {
    const chunk = encodeNextUserData(common);
    if (CHUNK_HEADER_SIZE + chunk.payload.length <= builder.free) return chunk;
  }
  const chunk = encodeUserData({ ...common, flowId: flow.id, sequenceNumber: fragment.seq, fsnOffset: Math.max(0, fragment.seq - fsn) });
  if (CHUNK_HEADER_SIZE + chunk.payload.length > builder.free) builder.startPacket();
  return chunk;
}
