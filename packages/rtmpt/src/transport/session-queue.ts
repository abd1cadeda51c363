/**
 * A bounded async-iterable queue: the tunnel pushes incoming sessions, the application takes them
 * with `for await`. `push` returns false when `capacity` items already wait.
 */
export class SessionQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly takers: Array<(result: IteratorResult<T>) => void> = [];
  private ended = false;

  constructor(private readonly capacity: number) {}

  push(item: T): boolean {
    if (this.ended) return false;
    const taker = this.takers.shift();
    if (taker) {
      taker({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Ends iteration and returns what was still waiting (for the caller to refuse). */
  end(): T[] {
    this.ended = true;
    for (const taker of this.takers.splice(0)) taker({ value: undefined, done: true });
    return this.items.splice(0);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.takers.push(resolve));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }
}
