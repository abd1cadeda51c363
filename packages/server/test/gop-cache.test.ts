import { describe, expect, it } from 'vitest';
import { GopCache, type MediaFrame } from '../src/index.js';

const frame = (type: 8 | 9, timestamp: number, keyframe: boolean, size = 10, header = false): MediaFrame => ({
  type,
  timestamp,
  payload: Buffer.alloc(size),
  keyframe,
  header,
});

describe('GopCache', () => {
  it('holds audio and video from the last keyframe', () => {
    const cache = new GopCache();
    cache.add(frame(9, 0, false)); // nothing to start from yet
    expect(cache.size).toBe(0);
    cache.add(frame(9, 40, true));
    cache.add(frame(8, 45, false));
    cache.add(frame(9, 80, false));
    expect(cache.gop.map((f) => f.timestamp)).toEqual([40, 45, 80]);
    cache.add(frame(9, 120, true));
    expect(cache.gop.map((f) => f.timestamp)).toEqual([120]);
    expect(cache.bytes).toBe(10);
  });

  it('never holds sequence headers or data', () => {
    const cache = new GopCache();
    cache.add(frame(9, 0, true));
    cache.add(frame(9, 0, false, 10, true));
    cache.add({ type: 18, timestamp: 0, payload: Buffer.alloc(5), keyframe: false, header: false });
    expect(cache.size).toBe(1);
  });

  it('empties until the next keyframe when a GOP passes maxBytes', () => {
    const cache = new GopCache({ maxBytes: 25 });
    cache.add(frame(9, 0, true));
    cache.add(frame(9, 40, false));
    expect(cache.size).toBe(2);
    cache.add(frame(9, 80, false)); // 30 bytes > 25
    expect(cache.size).toBe(0);
    cache.add(frame(9, 120, false));
    expect(cache.size).toBe(0);
    cache.add(frame(9, 160, true));
    expect(cache.size).toBe(1);
  });

  it('empties when a GOP spans more than maxDurationMs or maxMessages', () => {
    const byTime = new GopCache({ maxDurationMs: 100 });
    byTime.add(frame(9, 0, true));
    byTime.add(frame(9, 100, false));
    expect(byTime.durationMs).toBe(100);
    byTime.add(frame(9, 101, false));
    expect(byTime.size).toBe(0);
    const byCount = new GopCache({ maxMessages: 2 });
    byCount.add(frame(9, 0, true));
    byCount.add(frame(8, 1, false));
    byCount.add(frame(8, 2, false));
    expect(byCount.size).toBe(0);
  });

  it('is off with maxBytes 0, and refuses bad limits', () => {
    const off = new GopCache({ maxBytes: 0 });
    off.add(frame(9, 0, true));
    expect(off.enabled).toBe(false);
    expect(off.size).toBe(0);
    expect(() => new GopCache({ maxBytes: -1 })).toThrow(RangeError);
  });

  it('copies a small payload that is a view of a large buffer, so the byte count is real', () => {
    const big = Buffer.alloc(64 * 1024);
    const cache = new GopCache();
    const view = big.subarray(100, 200);
    cache.add({ type: 9, timestamp: 0, payload: view, keyframe: true, header: false });
    expect(cache.gop[0]!.payload.buffer.byteLength).toBeLessThan(big.length);
    expect(cache.gop[0]!.payload.equals(view)).toBe(true);
    const own = Buffer.alloc(30_000);
    cache.add({ type: 9, timestamp: 40, payload: own, keyframe: false, header: false });
    expect(cache.gop[1]!.payload).toBe(own);
  });
});
