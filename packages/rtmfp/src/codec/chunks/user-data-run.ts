import { RtmpProtocolError } from '@rtmpkit/core';
import type { Chunk } from './chunk.js';
import type { UserDataFragment } from './user-data.js';

/** A user data fragment with its flow and numbers filled in, whichever chunk type carried it. */
export interface FlowFragment extends UserDataFragment {
  readonly flowId: number;
  readonly sequenceNumber: number;
  /** Nothing at or below this number will be sent again. */
  readonly forwardSequenceNumber: number;
}

/**
 * The user data of one packet in order, with each Next User Data chunk given the flow of the
 * user data chunk before it and the next sequence number (RFC 7016 §2.3.12). Like rtmfp-cpp,
 * other chunks in between do not break the run. A Next User Data with no User Data before it
 * in the packet is an `RtmpProtocolError`.
 */
export function flowFragments(chunks: readonly Chunk[]): FlowFragment[] {
  const fragments: FlowFragment[] = [];
  let previous: FlowFragment | undefined;
  for (const chunk of chunks) {
    if (chunk.kind === 'user-data') {
      const { kind: _kind, fsnOffset, ...rest } = chunk;
      previous = { ...rest, forwardSequenceNumber: chunk.sequenceNumber - fsnOffset };
    } else if (chunk.kind === 'next-user-data') {
      if (!previous) throw new RtmpProtocolError('Next User Data without a User Data chunk before it in the packet');
      const { kind: _kind, ...rest } = chunk;
      previous = {
        ...rest,
        flowId: previous.flowId,
        sequenceNumber: previous.sequenceNumber + 1,
        forwardSequenceNumber: previous.forwardSequenceNumber,
      };
    } else {
      continue;
    }
    fragments.push(previous);
  }
  return fragments;
}
