/** Settings of one RTMFP session (the flow and timing layer, below NetConnection). */
export interface SessionMachineOptions {
  /** Send a keepalive ping after this long without hearing from the peer. Default 15 000 (Cumulus' server keepalive); a server's Set Keepalive changes it. */
  keepaliveMs?: number;
  /** The peer is gone after this long without a packet from it, pings and retransmissions included. Default 120 000. */
  peerTimeoutMs?: number;
  /** Receive buffer per flow, advertised as the window. Default 4 MiB. */
  receiveBufferBytes?: number;
  /** Largest message put back together. Default 8 MiB (core's `maxMessageSize`). */
  maxMessageSize?: number;
  /** Flows from the peer open at once; more are refused with a flow exception. Default 256. */
  maxRecvFlows?: number;
  /** Sequence numbers a flow accepts beyond its cumulative ack. Default 16 384. */
  maxAheadFragments?: number;
  /** Delayed acknowledgement. Default 200 ms. */
  delayedAckMs?: number;
  /** Session close request resent this often until acknowledged. Default 5 000. */
  closeRetransmitMs?: number;
  /** ...for at most this long. Default 90 000. */
  closeGiveUpMs?: number;
  /** After the peer closed, its close requests are still answered this long. Default 19 000. */
  farCloseLingerMs?: number;
  /** A finished receiving flow keeps acknowledging repeats this long. Default 120 000. */
  recvFlowLingerMs?: number;
}

/** `SessionMachineOptions` with every default filled in. */
export type ResolvedSessionOptions = Required<SessionMachineOptions>;

/** The defaults of `SessionMachineOptions`. */
export const DEFAULT_SESSION_OPTIONS: Readonly<ResolvedSessionOptions> = Object.freeze({
  keepaliveMs: 15_000,
  peerTimeoutMs: 120_000,
  receiveBufferBytes: 4 * 1024 * 1024,
  maxMessageSize: 8 * 1024 * 1024,
  maxRecvFlows: 256,
  maxAheadFragments: 16_384,
  delayedAckMs: 200,
  closeRetransmitMs: 5_000,
  closeGiveUpMs: 90_000,
  farCloseLingerMs: 19_000,
  recvFlowLingerMs: 120_000,
});

/** Fills in defaults; a negative or non-finite value is a `RangeError`. */
export function resolveSessionOptions(options: SessionMachineOptions = {}): ResolvedSessionOptions {
  const resolved = { ...DEFAULT_SESSION_OPTIONS } as ResolvedSessionOptions;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a non-negative number, got ${String(value)}`);
    (resolved as Record<string, number>)[key] = value;
  }
  return resolved;
}
