import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../src/util/index.js';

describe('AsyncQueue', () => {
  it('hands items to a waiting reader, then queues up to capacity', async () => {
    const queue = new AsyncQueue<number>(2);
    const iterator = queue[Symbol.asyncIterator]();
    const first = iterator.next();
    expect(queue.push(1)).toBe(true);
    expect(await first).toEqual({ value: 1, done: false });
    expect([queue.push(2), queue.push(3), queue.push(4)]).toEqual([true, true, false]);
    expect(queue.length).toBe(2);
    expect(await iterator.next()).toEqual({ value: 2, done: false });
  });

  it('end lets queued items through, then finishes; drain takes them instead', async () => {
    const queue = new AsyncQueue<number>(4);
    queue.push(1);
    queue.push(2);
    queue.end();
    expect(queue.push(3)).toBe(false);
    const iterator = queue[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    expect(queue.drain()).toEqual([2]);
    expect((await iterator.next()).done).toBe(true);
  });

  it('a reader leaving ends the queue, unless told otherwise', async () => {
    const ending = new AsyncQueue<number>(4);
    for await (const _ of (ending.push(1), ending)) break;
    expect(ending.push(2)).toBe(false);
    const staying = new AsyncQueue<number>(4, { endWhenReaderLeaves: false });
    for await (const _ of (staying.push(1), staying)) break;
    expect(staying.push(2)).toBe(true);
  });
});
