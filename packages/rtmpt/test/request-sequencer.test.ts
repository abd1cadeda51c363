import { describe, expect, it } from 'vitest';
import { RequestSequencer } from '../src/server/request-sequencer.js';

function drainReady(sequencer: RequestSequencer<string>): string[] {
  const out: string[] = [];
  for (let next = sequencer.takeReady(); next; next = sequencer.takeReady()) out.push(next.item);
  return out;
}

describe('RequestSequencer', () => {
  it('takes 0 or 1 as the first number (librtmp/FFmpeg start at 0, others at 1)', () => {
    for (const first of [0, 1]) {
      const sequencer = new RequestSequencer<string>(8);
      expect(sequencer.offer(first, 'a')).toBeUndefined();
      expect(drainReady(sequencer)).toEqual(['a']);
      expect(sequencer.lastTaken).toBe(first);
    }
  });

  it('restores the order of requests that arrive out of order within the window', () => {
    const sequencer = new RequestSequencer<string>(8);
    sequencer.offer(0, 'zero');
    expect(drainReady(sequencer)).toEqual(['zero']);
    expect(sequencer.offer(3, 'three')).toBeUndefined();
    expect(sequencer.offer(2, 'two')).toBeUndefined();
    expect(drainReady(sequencer)).toEqual([]);
    expect(sequencer.offer(1, 'one')).toBeUndefined();
    expect(drainReady(sequencer)).toEqual(['one', 'two', 'three']);
  });

  it('accepts a gap as a skip when the caller stops waiting', () => {
    const sequencer = new RequestSequencer<string>(8);
    sequencer.offer(0, 'zero');
    drainReady(sequencer);
    sequencer.offer(5, 'five');
    sequencer.offer(3, 'three');
    expect(sequencer.takeReady()).toBeUndefined();
    expect(sequencer.takeAfterGap()).toEqual({ seq: 3, item: 'three' });
    expect(sequencer.takeAfterGap()).toEqual({ seq: 5, item: 'five' });
    expect(sequencer.offer(6, 'six')).toBeUndefined();
    expect(drainReady(sequencer)).toEqual(['six']);
  });

  it('refuses stale, duplicate and too-far numbers without changing anything', () => {
    const sequencer = new RequestSequencer<string>(4);
    sequencer.offer(0, 'zero');
    sequencer.offer(1, 'one');
    drainReady(sequencer);
    sequencer.offer(3, 'three');
    expect(sequencer.offer(1, 'again')).toBe('stale');
    expect(sequencer.offer(0, 'older')).toBe('stale');
    expect(sequencer.offer(3, 'copy')).toBe('duplicate');
    expect(sequencer.offer(6, 'far')).toBe('beyond-window');
    expect(sequencer.waiting).toBe(1);
    expect(sequencer.lastTaken).toBe(1);
    expect(sequencer.offer(5, 'edge')).toBeUndefined();
    expect(sequencer.drain()).toEqual(['three', 'edge']);
  });

  it('refuses a first number beyond the window, and a window below 1', () => {
    expect(new RequestSequencer<string>(8).offer(8, 'x')).toBe('beyond-window');
    expect(() => new RequestSequencer<string>(0)).toThrow(RangeError);
  });
});
