import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../src/byte-queue.js';

describe('ByteQueue', () => {
  it('hands out at most N bytes at a time, in order, as slices of what was pushed', () => {
    const queue = new ByteQueue();
    const first = Buffer.from('hello ');
    queue.push(first);
    queue.push(new Uint8Array(0));
    queue.push(Uint8Array.from(Buffer.from('world')));
    expect(queue.length).toBe(11);
    const head = queue.take(3);
    expect(head[0]!.buffer).toBe(first.buffer);
    expect(Buffer.concat(head).toString()).toBe('hel');
    expect(Buffer.concat(queue.take(5)).toString()).toBe('lo wo');
    expect(queue.length).toBe(3);
    expect(Buffer.concat(queue.take(100)).toString()).toBe('rld');
    expect(queue.take(10)).toEqual([]);
    expect(queue.length).toBe(0);
  });

  it('keeps order over many chunks and compactions', () => {
    const queue = new ByteQueue();
    const taken: number[] = [];
    for (let i = 0; i < 1000; i++) {
      queue.push(Buffer.of(i & 0xff, (i >> 8) & 0xff));
      if (i % 7 === 0) for (const chunk of queue.take(13)) taken.push(...chunk);
    }
    for (const chunk of queue.take(Infinity)) taken.push(...chunk);
    expect(taken.length).toBe(2000);
    for (let i = 0; i < 1000; i++) expect(taken[2 * i]! | (taken[2 * i + 1]! << 8)).toBe(i);
  });
});
