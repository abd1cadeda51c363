import { describe, expect, it } from 'vitest';
import { PollingDelay } from '../src/index.js';

describe('PollingDelay', () => {
  it('follows Red5: 1 while data flows and for 10 empty replies, then 3, 5, 9, 17, 33', () => {
    const delay = new PollingDelay();
    const bytes = Array.from({ length: 17 }, () => delay.next(false));
    expect(bytes).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 5, 9, 17, 33, 33, 33]);
  });

  it('goes back to the first step as soon as a reply carries data', () => {
    const delay = new PollingDelay({ emptyRepliesBeforeBackoff: 0 });
    expect([delay.next(false), delay.next(false), delay.next(true), delay.next(false)]).toEqual([3, 5, 1, 3]);
  });

  it('takes custom steps and refuses 0 (which means "closed" on the wire)', () => {
    const delay = new PollingDelay({ steps: [2, 200], emptyRepliesBeforeBackoff: 1 });
    expect([delay.next(false), delay.next(false), delay.next(false)]).toEqual([2, 200, 200]);
    expect(() => new PollingDelay({ steps: [0, 1] })).toThrow(/1\.\.255/);
    expect(() => new PollingDelay({ steps: [] })).toThrow(RangeError);
    expect(() => new PollingDelay({ emptyRepliesBeforeBackoff: -1 })).toThrow(RangeError);
  });
});
