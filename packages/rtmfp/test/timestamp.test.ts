import { describe, expect, it } from 'vitest';
import { roundTripFromEcho, timestampAt, timestampEcho } from '../src/index.js';

describe('timestamps (4 ms ticks, 16 bits)', () => {
  it('counts 4 ms ticks and wraps at 2^16', () => {
    expect(timestampAt(0)).toBe(0);
    expect(timestampAt(3)).toBe(0);
    expect(timestampAt(4)).toBe(1);
    expect(timestampAt(4 * 0x10000)).toBe(0);
    expect(timestampAt(4 * 0x10001 + 2)).toBe(1);
  });

  it('echoes the last timestamp plus the ticks since it arrived', () => {
    expect(timestampEcho(0x1e60, 0)).toBe(0x1e60);
    expect(timestampEcho(0x1e60, 41)).toBe(0x1e6a);
    expect(timestampEcho(0xffff, 8)).toBe(0x0001);
  });

  it('turns an echo into a round trip, across the wrap, and refuses ambiguous ones', () => {
    expect(roundTripFromEcho(0x1e70, 0x1e60)).toBe(64);
    expect(roundTripFromEcho(0x0002, 0xfffe)).toBe(16);
    expect(roundTripFromEcho(0x8000, 0)).toBeUndefined();
    expect(roundTripFromEcho(0x7fff, 0)).toBe(0x7fff * 4);
  });
});
