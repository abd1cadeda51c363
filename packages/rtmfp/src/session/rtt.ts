/** Retransmission timing constants (rtmfp-cpp's, RFC 7016 §3.5.2.2). */
export const RTO = {
  /** ERTO before the first round-trip sample. */
  initialMs: 3000,
  minMs: 250,
  maxMs: 10_000,
  /** The receiver's delayed-ack allowance added to the measured RTO. */
  delayedAckMs: 200,
  /** Each timeout in a row multiplies the ERTO by this. */
  backoff: Math.SQRT2,
} as const;

/**
 * Smoothed round-trip time (RFC 6298: srtt gains 1/8, rttvar 1/4) and the effective
 * retransmission timeout: `max(srtt + 4·rttvar + 200 ms, 250 ms)`, at most 10 s, backed off by √2
 * per timeout in a row until an ack makes progress.
 */
export class RttEstimator {
  /** Smoothed RTT in ms (undefined before the first sample). */
  srtt: number | undefined;
  rttvar = 0;
  private backoffs = 0;

  /** Takes one round-trip measurement in ms. */
  sample(rttMs: number): void {
    if (!(rttMs >= 0)) return;
    if (this.srtt === undefined) {
      this.srtt = rttMs;
      this.rttvar = rttMs / 2;
      return;
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs);
    this.srtt = 0.875 * this.srtt + 0.125 * rttMs;
  }

  /** The effective retransmission timeout in ms. */
  get erto(): number {
    const base = this.srtt === undefined ? RTO.initialMs : Math.max(this.srtt + 4 * this.rttvar + RTO.delayedAckMs, RTO.minMs);
    return Math.min(base * RTO.backoff ** this.backoffs, RTO.maxMs);
  }

  /** A retransmission timeout fired. */
  backOff(): void {
    if (this.erto < RTO.maxMs) this.backoffs++;
  }

  /** An acknowledgement made progress: the backoff ends. */
  progress(): void {
    this.backoffs = 0;
  }
}
