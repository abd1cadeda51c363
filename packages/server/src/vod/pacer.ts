import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sends media in real time, `leadMs` ahead of the clock: the first `leadMs` of media go at once
 * (so a player fills its buffer and starts fast), then each tag when the clock reaches its
 * timestamp minus `leadMs`. `reset` re-anchors the clock (after a seek, an unpause, or a
 * timestamp that went backwards). `leadMs: Infinity` does not pace at all.
 */
export class Pacer {
  private anchorTimestamp = 0;
  private anchorClock = 0;
  private anchored = false;

  constructor(
    private readonly leadMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The next tag (timestamp `timestamp`) starts a new stretch of real time. */
  reset(): void {
    this.anchored = false;
  }

  /** Milliseconds to wait before sending a tag stamped `timestamp` (0: now). */
  delay(timestamp: number): number {
    if (!Number.isFinite(this.leadMs)) return 0;
    if (!this.anchored || timestamp < this.anchorTimestamp) {
      this.anchored = true;
      this.anchorTimestamp = timestamp;
      this.anchorClock = this.now();
    }
    return Math.max(0, this.anchorClock + (timestamp - this.anchorTimestamp) - this.leadMs - this.now());
  }

  /** Waits until a tag stamped `timestamp` is due; rejects with an AbortError when `signal` aborts. */
  async wait(timestamp: number, signal: AbortSignal): Promise<void> {
    const ms = this.delay(timestamp);
    if (ms > 0) await sleep(ms, undefined, { signal });
  }
}
