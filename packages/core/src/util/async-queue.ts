/**
 * A bounded async-iterable queue: a listener pushes incoming sessions, the application takes
 * them with `for await`. `push` returns false when `capacity` items already wait (or after `end`).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private ended = false;

  /**
   * @param capacity items that may wait for a reader
   * @param options.endWhenReaderLeaves a reader that breaks out of `for await` ends the queue
   *   (default true); false lets a later reader go on
   */
  constructor(
    private readonly capacity: number,
    private readonly options: { endWhenReaderLeaves?: boolean } = {},
  ) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): boolean {
    if (this.ended) return false;
    const taker = this.waiting.shift();
    if (taker) {
      taker({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Ends iteration; items already queued are still delivered unless drained. */
  end(): void {
    this.ended = true;
    for (const taker of this.waiting.splice(0)) taker({ value: undefined, done: true });
  }

  /** Removes and returns what is still queued (to refuse or close it). */
  drain(): T[] {
    return this.items.splice(0);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
      return: () => {
        if (this.options.endWhenReaderLeaves !== false) this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
