import type { RtmpMessage } from '../message/rtmp-message.js';

/** Bytes a queued message counts for besides its payload, so empty messages cannot pile up for free. */
const MESSAGE_OVERHEAD = 64;

/** How a queue tells its session about read-side backpressure. */
export interface QueuePressure {
  /** The queue went above its limit: stop reading the channel. */
  full(): void;
  /** The queue, having been full, went down to half: reading may go on. */
  relieved(): void;
}

/**
 * The incoming media of one NetStream (for one publish or play), read by one async iterator.
 * Messages are held as they came (payloads are views of what the chunk decoder handed out).
 * Above `limit` queued bytes the queue reports `full` and the session pauses the channel; when
 * the reader has taken it down to half, it reports `relieved`. When the reader leaves (`break`
 * out of `for await`), what is queued and what arrives until a reader comes back (`reattach`) is
 * dropped, so a reader that went away never holds the channel.
 */
export class MediaQueue implements AsyncIterableIterator<RtmpMessage> {
  private readonly items: RtmpMessage[] = [];
  private head = 0;
  private bytes = 0;
  private isFull = false;
  private ended = false;
  private failure: Error | undefined;
  private detached = false;
  private waiting: { resolve(result: IteratorResult<RtmpMessage>): void; reject(error: Error): void } | undefined;

  constructor(
    private readonly limit: number,
    private readonly pressure: QueuePressure,
  ) {}

  /** Bytes held unread. */
  get queuedBytes(): number {
    return this.bytes;
  }

  get done(): boolean {
    return this.ended;
  }

  push(message: RtmpMessage): void {
    if (this.ended || this.detached) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: message, done: false });
      return;
    }
    this.items.push(message);
    this.bytes += message.payload.length + MESSAGE_OVERHEAD;
    if (!this.isFull && this.bytes > this.limit) {
      this.isFull = true;
      this.pressure.full();
    }
  }

  /** No more messages: the reader gets what is queued, then the end (or `error`, right away). */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (error) {
      this.failure = error;
      this.clear();
    }
    if (this.waiting && (error || this.head >= this.items.length)) {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (error) waiting.reject(error);
      else waiting.resolve({ value: undefined, done: true });
    }
    // Nothing more can arrive, so what is queued no longer needs to hold the channel.
    this.release();
  }

  next(): Promise<IteratorResult<RtmpMessage>> {
    if (this.head < this.items.length) {
      const message = this.items[this.head]!;
      this.items[this.head++] = undefined as never;
      this.bytes -= message.payload.length + MESSAGE_OVERHEAD;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      if (this.isFull && this.bytes <= this.limit / 2) this.release();
      return Promise.resolve({ value: message, done: false });
    }
    if (this.failure) {
      const failure = this.failure;
      return Promise.reject(failure);
    }
    if (this.ended || this.detached) return Promise.resolve({ value: undefined, done: true });
    if (this.waiting) return Promise.reject(new Error('a NetStream is read by one iterator at a time; await each next() before the next one'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The reader left: drop what is queued and whatever comes later. */
  return(): Promise<IteratorResult<RtmpMessage>> {
    this.detached = true;
    this.clear();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** A reader (re)starts: messages are kept again from now on. */
  reattach(): this {
    this.detached = false;
    return this;
  }

  private clear(): void {
    this.items.length = 0;
    this.head = 0;
    this.bytes = 0;
    this.release();
  }

  private release(): void {
    if (!this.isFull) return;
    this.isFull = false;
    this.pressure.relieved();
  }
}
