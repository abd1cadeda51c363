import type { AckOutcome, FragmentToSend, SendFlow } from '../flow/send-flow.js';
import { CONGESTION, CongestionControl } from './congestion.js';
import { RttEstimator } from './rtt.js';

/**
 * What is in flight across all of a session's flows, and the controls on it: the congestion
 * window, the round-trip estimate and the retransmission timer (armed while anything is in
 * flight, from the last acknowledgement that made progress).
 */
export class Flight {
  readonly rtt = new RttEstimator();
  readonly congestion = new CongestionControl();
  /** Data bytes in flight (an empty fragment counts 1). */
  bytes = 0;
  /** Transmissions so far: the order loss detection compares. */
  tx = 0;
  private lastProgress = 0;
  /** Limited transmit (RFC 3042): new data allowed beyond the window while acks report holes. */
  private allowance = 0;
  private beyondWindow = 0;

  /** True while the congestion window (or the limited-transmit allowance) has room for new data. */
  get mayGrow(): boolean {
    return this.bytes < this.congestion.cwnd || this.beyondWindow < this.allowance;
  }

  /** Acknowledgements that made progress since the last round of sending. */
  private acksSinceRound = 0;

  /**
   * Packets of data one round of sending may put out back to back: 6 per acknowledgement that
   * made progress since the last round (at least 6), unless the round trip is under 4.5 ms.
   * Acks read in one go each clock out their share, as they would one by one.
   */
  get burstLimit(): number {
    const srtt = this.rtt.srtt;
    if (srtt !== undefined && srtt < CONGESTION.burstFreeRttMs) return Number.POSITIVE_INFINITY;
    return CONGESTION.burst * Math.max(1, this.acksSinceRound);
  }

  /** A round of sending is over. */
  roundDone(): void {
    this.acksSinceRound = 0;
  }

  /** When the retransmission timer fires, if armed. */
  get timeoutAt(): number | undefined {
    return this.bytes > 0 ? this.lastProgress + this.rtt.erto : undefined;
  }

  /** A fragment of `flow` went out now. */
  sent(flow: SendFlow, piece: FragmentToSend, now: number): void {
    if (this.bytes === 0) this.lastProgress = now;
    const full = this.bytes >= this.congestion.cwnd;
    const bytes = flow.sent(piece.fragment, piece.abandon, ++this.tx, now);
    this.bytes += bytes;
    if (full) this.beyondWindow += bytes;
  }

  /** An acknowledgement was applied to a flow. */
  acked(outcome: AckOutcome, now: number): void {
    const before = this.bytes;
    this.bytes -= outcome.ackedBytes + outcome.lostBytes;
    if (outcome.ackedCount > 0) {
      this.acksSinceRound++;
      this.rtt.progress();
      this.lastProgress = now;
      this.congestion.onAck(outcome.ackedBytes, before);
    }
    if (outcome.lostTx > 0) this.congestion.onLoss(outcome.lostTx, this.tx);
    // Each ack that shows a hole lets one more packet out, up to two, so that enough later
    // packets get through for the hole to be detected without a timeout.
    if (outcome.nakked > 0) {
      this.allowance = Math.min(this.allowance + CONGESTION.mss, 2 * CONGESTION.mss);
    } else if (outcome.ackedCount > 0) {
      this.allowance = this.beyondWindow = 0;
    }
  }

  /** Runs the retransmission timer: when due, everything in flight is deemed lost. True when it fired. */
  checkTimeout(flows: Iterable<SendFlow>, now: number): boolean {
    const at = this.timeoutAt;
    if (at === undefined || now < at) return false;
    for (const flow of flows) this.bytes -= flow.onTimeout();
    this.congestion.onTimeout(this.tx);
    this.rtt.backOff();
    this.lastProgress = now;
    return true;
  }

  /** A flow left the session with bytes still counted. */
  retired(flow: SendFlow): void {
    this.bytes -= flow.inFlight;
  }
}
