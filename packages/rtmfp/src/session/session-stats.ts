import type { RecvFlow } from '../flow/recv-flow.js';
import type { SendFlow } from '../flow/send-flow.js';
import type { Flight } from './flight.js';

/** What a session counted; read it for monitoring and tests. */
export interface SessionStats {
  packetsSent: number;
  packetsReceived: number;
  /** Data bytes sent in user data fragments (first transmissions and retransmissions). */
  dataBytesSent: number;
  /** Fragments sent again after a loss or timeout. */
  retransmissions: number;
  /** Times the congestion window was halved for loss. */
  lossEvents: number;
  /** Retransmission timeouts. */
  timeouts: number;
  /** Messages we abandoned (their deadline passed before they were delivered). */
  abandonedSent: number;
  /** Messages the peer abandoned, as far as this side can tell (ABN fragments, half-built messages given up). */
  abandonedReceived: number;
  /** Sequence numbers the peer abandoned or skipped over with its forward sequence number. */
  skippedFragments: number;
  /** Messages delivered from the peer. */
  messagesReceived: number;
  /** Smoothed round-trip time in ms (undefined before a sample). */
  srtt: number | undefined;
  /** The effective retransmission timeout in ms. */
  erto: number;
  /** Congestion window, bytes. */
  cwnd: number;
  /** Data bytes in flight. */
  inFlight: number;
}

/** Counters kept by the session itself (flows that are gone left theirs here). */
export type SessionCounters = Pick<SessionStats, 'packetsSent' | 'packetsReceived' | 'dataBytesSent' | 'retransmissions' | 'abandonedSent' | 'abandonedReceived' | 'skippedFragments' | 'messagesReceived'>;

/** The session's counters plus what its live flows and its flight say now. */
export function collectStats(counters: SessionCounters, sendFlows: Iterable<SendFlow>, recvFlows: Iterable<RecvFlow>, flight: Flight): SessionStats {
  const stats = { ...counters };
  for (const flow of sendFlows) {
    stats.abandonedSent += flow.abandonedMessages;
    stats.retransmissions += flow.retransmissions;
  }
  for (const flow of recvFlows) {
    stats.abandonedReceived += flow.stats.abandonedMessages;
    stats.skippedFragments += flow.stats.skippedFragments;
    stats.messagesReceived += flow.stats.messages;
  }
  const { rtt, congestion } = flight;
  return {
    ...stats,
    lossEvents: congestion.lossEvents,
    timeouts: congestion.timeouts,
    srtt: rtt.srtt,
    erto: rtt.erto,
    cwnd: congestion.cwnd,
    inFlight: flight.bytes,
  };
}
