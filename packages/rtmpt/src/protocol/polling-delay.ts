/** Red5's polling bytes: 1 while data flows, then 3, 5, 9, 17, 33 as the tunnel stays idle. */
export const DEFAULT_POLLING_STEPS: readonly number[] = [1, 3, 5, 9, 17, 33];

/** How the server picks the polling byte at the head of each send/idle reply. */
export interface PollingDelayOptions {
  /**
   * The bytes sent, from busiest to idlest; each 1..255 (0 means "closed" on the wire). Default
   * `[1, 3, 5, 9, 17, 33]` (Red5: an internal 0, 2, 4, 8, 16, 32, sent plus one).
   */
  steps?: readonly number[];
  /** Empty replies in a row that still get the first step; each further one moves a step on. Default 10 (Red5). */
  emptyRepliesBeforeBackoff?: number;
}

/**
 * The adaptive polling hint of one tunnel session. A reply that carries data resets it to the
 * first step; after `emptyRepliesBeforeBackoff` empty replies in a row, each further empty reply
 * moves one step towards the last. The client should wait about that many "polling units" before
 * its next idle request (our client: `pollUnitMs` each, within a floor and a ceiling).
 */
export class PollingDelay {
  private readonly steps: readonly number[];
  private readonly threshold: number;
  private emptyInARow = 0;
  private step = 0;

  constructor(options: PollingDelayOptions = {}) {
    this.steps = options.steps ?? DEFAULT_POLLING_STEPS;
    this.threshold = options.emptyRepliesBeforeBackoff ?? 10;
    if (this.steps.length === 0 || this.steps.some((step) => !Number.isInteger(step) || step < 1 || step > 255)) {
      throw new RangeError(`polling steps must be integers 1..255 (0 means "closed"), got [${this.steps.join(', ')}]`);
    }
    if (!Number.isInteger(this.threshold) || this.threshold < 0) {
      throw new RangeError(`emptyRepliesBeforeBackoff must be an integer >= 0, got ${this.threshold}`);
    }
  }

  /** The byte for the next reply, given whether it carries data. */
  next(carriesData: boolean): number {
    if (carriesData) {
      this.emptyInARow = 0;
      this.step = 0;
    } else if (++this.emptyInARow > this.threshold) {
      this.step = Math.min(this.step + 1, this.steps.length - 1);
    }
    return this.steps[this.step]!;
  }
}
