import { LimitExceededError } from '../errors/index.js';

/**
 * Counts the messages being reassembled and the bytes they hold, across all chunk streams, and
 * refuses a new one that would pass `maxPartialMessages` or `maxPartialBytes`. A peer that opens
 * many chunk streams and never finishes a message can hold no more than this.
 */
export class PartialMessageBudget {
  /** Messages in flight. */
  messages = 0;
  /** Bytes allocated for them. */
  bytes = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  /** Counts one more message of `length` bytes, or throws `LimitExceededError` first. */
  reserve(length: number, chunkStreamId: number): void {
    if (this.messages >= this.maxMessages) {
      throw new LimitExceededError(
        'maxPartialMessages',
        this.maxMessages,
        `chunk stream ${chunkStreamId}: one more message in flight`,
      );
    }
    if (this.bytes + length > this.maxBytes) {
      throw new LimitExceededError(
        'maxPartialBytes',
        this.maxBytes,
        `chunk stream ${chunkStreamId}: ${length} more bytes on top of ${this.bytes} held`,
      );
    }
    this.messages++;
    this.bytes += length;
  }

  /** Gives back a message of `length` bytes (completed or aborted). */
  release(length: number): void {
    this.messages--;
    this.bytes -= length;
  }
}
