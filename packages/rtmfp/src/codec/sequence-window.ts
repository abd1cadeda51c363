/** How far behind the highest session sequence number one may arrive (rtmfp-cpp's MAX_SSEQ_GAP). */
export const SEQUENCE_WINDOW = 32;

/**
 * The receiving side of session sequence numbers (RFC 7425 §4.6.4): a packet whose number was
 * seen already, or that is `SEQUENCE_WINDOW` or more behind the highest seen, is a replay and
 * is dropped. Call `accept` only for a packet that passed its HMAC or checksum.
 */
export class SequenceWindow {
  private highest = -1;
  private readonly seen = new Set<number>();

  /** True (and remembered) for a number not seen and not too old; false for a repeat or a stale one. */
  accept(sequenceNumber: number): boolean {
    if (this.seen.has(sequenceNumber)) return false;
    if (this.highest > SEQUENCE_WINDOW && sequenceNumber <= this.highest - SEQUENCE_WINDOW) return false;
    this.seen.add(sequenceNumber);
    if (sequenceNumber > this.highest) {
      this.highest = sequenceNumber;
      for (const old of this.seen) if (old <= this.highest - SEQUENCE_WINDOW) this.seen.delete(old);
    }
    return true;
  }
}
