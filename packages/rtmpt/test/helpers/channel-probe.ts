import type { ByteChannel } from '@rtmpkit/core';

/** Records what a channel delivers, and lets a test wait for bytes or for the close. */
export interface ChannelProbe {
  readonly channel: ByteChannel;
  /** Everything received so far, in order. */
  received(): Buffer;
  readonly receivedLength: number;
  /** Resolves once at least `count` bytes have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves with the close error (undefined for an orderly close). */
  readonly closed: Promise<Error | undefined>;
  readonly isClosed: boolean;
  drains: number;
}

/** Attaches a recorder to `channel`. */
export function probe(channel: ByteChannel): ChannelProbe {
  const chunks: Buffer[] = [];
  let length = 0;
  let isClosed = false;
  const waiters: Array<() => void> = [];
  let resolveClosed!: (error: Error | undefined) => void;
  const closed = new Promise<Error | undefined>((resolve) => (resolveClosed = resolve));
  const result: ChannelProbe = {
    channel,
    received: () => Buffer.concat(chunks),
    get receivedLength() {
      return length;
    },
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${length} of ${count} bytes arrived in ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (length >= count) {
            clearTimeout(timer);
            resolve(Buffer.concat(chunks));
            return true;
          }
          return false;
        };
        const waiter = () => {
          if (!check()) waiters.push(waiter);
        };
        if (!check()) waiters.push(waiter);
      });
    },
    closed,
    get isClosed() {
      return isClosed;
    },
    drains: 0,
  };
  channel.attach({
    data(bytes) {
      chunks.push(Buffer.from(bytes));
      length += bytes.length;
      // Waiters that are not satisfied yet put themselves back.
      for (const waiter of waiters.splice(0)) waiter();
    },
    drain() {
      result.drains++;
    },
    close(error) {
      isClosed = true;
      resolveClosed(error);
    },
  });
  return result;
}

/** Bytes 0..n-1 of a reproducible pattern (seeded), to check order and integrity. */
export function pattern(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}
