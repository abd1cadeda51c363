/**
 * A small bounded async-iterable queue: the listener pushes sessions, the application takes them
 * with `for await`. `push` returns false when `capacity` items are already waiting.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private ended = false;

  constructor(private readonly capacity: number) {}

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

  /** Ends iteration; items already queued are still delivered. */
  end(): void {
    this.ended = true;
    for (const taker of this.waiting.splice(0)) taker({ value: undefined, done: true });
  }

  /** Removes and returns what is still queued. */
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
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
