/** Why a sequence number was refused. */
export type SequenceRefusal = 'stale' | 'duplicate' | 'beyond-window';

/**
 * Puts the requests of one tunnel session back in sequence-number order. Pure: no timers, no I/O
 * (the session arms the gap timer).
 *
 * - Before the first request, both 0 (librtmp, FFmpeg) and 1 (some other clients) count as next.
 * - After that, the next request is `last + 1`. A later one (a gap) is held: either the missing
 *   ones arrive and everything runs in order, or the caller gives up waiting (`takeAfterGap`) and
 *   the gap is accepted as a skip, so any increasing numbering works.
 * - A number at or below the last one taken is stale, one already held is a duplicate, and one
 *   `window` or more ahead of the next expected is refused: none of these touch the session.
 */
export class RequestSequencer<T> {
  private last = -1;
  private started = false;
  private readonly held = new Map<number, T>();

  /** @param window how far ahead of the next expected number a request may be (>= 1). */
  constructor(private readonly window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`reorder window must be an integer >= 1, got ${window}`);
  }

  /** Requests held, waiting for their turn. */
  get waiting(): number {
    return this.held.size;
  }

  /** The last sequence number taken (-1 before the first). */
  get lastTaken(): number {
    return this.last;
  }

  /** Holds a request, or says why it is refused (nothing changes then). */
  offer(seq: number, item: T): SequenceRefusal | undefined {
    if (this.started && seq <= this.last) return 'stale';
    if (this.held.has(seq)) return 'duplicate';
    if (seq - (this.last + 1) >= this.window) return 'beyond-window';
    this.held.set(seq, item);
    return undefined;
  }

  /** The next request if it is its turn now, removed from the held set. */
  takeReady(): { seq: number; item: T } | undefined {
    const next = this.last + 1;
    if (this.held.has(next)) return this.take(next);
    if (!this.started && this.held.has(next + 1)) return this.take(next + 1);
    return undefined;
  }

  /** Gives up on the gap: the lowest held request, removed (undefined when none is held). */
  takeAfterGap(): { seq: number; item: T } | undefined {
    if (this.held.size === 0) return undefined;
    return this.take(Math.min(...this.held.keys()));
  }

  /** Removes and returns every held request (when the session closes). */
  drain(): T[] {
    const items = [...this.held.values()];
    this.held.clear();
    return items;
  }

  private take(seq: number): { seq: number; item: T } {
    const item = this.held.get(seq)!;
    this.held.delete(seq);
    this.last = seq;
    this.started = true;
    return { seq, item };
  }
}
