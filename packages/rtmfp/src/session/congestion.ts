/** Congestion constants (rtmfp-cpp's values for RFC 7016 §3.5.2). */
export const CONGESTION = {
  /** Bytes counted per full packet (the session packet budget). */
  mss: 1200,
  /** Initial window: 3 packets. */
  initialPackets: 3,
  /** Window after a retransmission timeout: 2 packets. */
  timeoutPackets: 2,
  /** Packets of new data sent back to back at most, unless the RTT is under `burstFreeRttMs`. */
  burst: 6,
  burstFreeRttMs: 4.5,
} as const;

/**
 * TCP-compatible window congestion control (RFC 5681 shape, as RFC 7016 §3.5.2 asks): slow start
 * up to `ssthresh`, then about one packet more per round trip; halve on loss (once per window of
 * data), two packets after a timeout. Bytes are counted as data bytes in flight.
 */
export class CongestionControl {
  cwnd: number = CONGESTION.initialPackets * CONGESTION.mss;
  ssthresh = Number.POSITIVE_INFINITY;
  /** Loss events that shrank the window. */
  lossEvents = 0;
  timeouts = 0;
  /** Transmissions up to this number belong to the window that already had its loss response. */
  private recoveryTx = 0;

  /** `ackedBytes` newly acknowledged while `inFlight` bytes were out (before the ack). */
  onAck(ackedBytes: number, inFlight: number): void {
    if (ackedBytes <= 0) return;
    // Only a window that is used grows (RFC 7661's spirit): an application-limited sender keeps it.
    if (inFlight + ackedBytes < this.cwnd / 2) return;
    if (this.cwnd < this.ssthresh) {
      this.cwnd += Math.min(ackedBytes, 2 * CONGESTION.mss);
    } else {
      this.cwnd += Math.max(1, Math.floor((CONGESTION.mss * ackedBytes) / this.cwnd));
    }
  }

  /** Fragments were deemed lost; `lostTx` is the newest transmission among them, `txNow` the counter now. */
  onLoss(lostTx: number, txNow: number): void {
    if (lostTx <= this.recoveryTx) return;
    this.recoveryTx = txNow;
    this.lossEvents++;
    this.ssthresh = Math.max(Math.floor(this.cwnd / 2), CONGESTION.timeoutPackets * CONGESTION.mss);
    this.cwnd = this.ssthresh;
  }

  /** The retransmission timer fired. */
  onTimeout(txNow: number): void {
    this.timeouts++;
    this.recoveryTx = txNow;
    this.ssthresh = Math.max(Math.floor(this.cwnd / 2), CONGESTION.timeoutPackets * CONGESTION.mss);
    this.cwnd = CONGESTION.timeoutPackets * CONGESTION.mss;
  }
}
