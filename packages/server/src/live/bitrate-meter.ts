/**
 * Bits per second over a sliding window of one-second buckets (default 5 s). `now` is injectable
 * for tests; in the server it is `Date.now`.
 */
export class BitrateMeter {
  private readonly buckets: number[];
  private readonly seconds: number[];

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
    this.buckets = new Array<number>(windowSeconds).fill(0);
    this.seconds = new Array<number>(windowSeconds).fill(-1);
  }

  /** Counts `bytes` now. */
  add(bytes: number): void {
    const second = Math.floor(this.now() / 1000);
    const slot = second % this.windowSeconds;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot]! += bytes;
  }

  /** Bits per second over the complete seconds of the window (the current one counts pro rata). */
  get bitsPerSecond(): number {
    const nowMs = this.now();
    const current = Math.floor(nowMs / 1000);
    let bytes = 0;
    let oldest = current;
    for (let i = 0; i < this.windowSeconds; i++) {
      const second = this.seconds[i]!;
      if (second < 0 || second <= current - this.windowSeconds) continue;
      bytes += this.buckets[i]!;
      oldest = Math.min(oldest, second);
    }
    const spanSeconds = current - oldest + (nowMs % 1000) / 1000;
    return spanSeconds > 0 ? Math.round((bytes * 8) / Math.max(spanSeconds, 1)) : 0;
  }

  /** Forgets everything. */
  reset(): void {
    this.buckets.fill(0);
    this.seconds.fill(-1);
  }
}
