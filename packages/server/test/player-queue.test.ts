import { describe, expect, it } from 'vitest';
import { PlayerQueue, type QueueEntry } from '../src/index.js';

interface Entry extends QueueEntry {
  id: string;
}
const video = (id: string, keyframe = false, bytes = 100): Entry => ({ id, bytes, kind: 'video', keyframe, keep: false });
const audio = (id: string, bytes = 10): Entry => ({ id, bytes, kind: 'audio', keyframe: false, keep: false });
const header = (id: string): Entry => ({ id, bytes: 50, kind: 'video', keyframe: false, keep: true });

function drain(queue: PlayerQueue<Entry>): string[] {
  const ids: string[] = [];
  for (let entry = queue.shift(); entry; entry = queue.shift()) ids.push(entry.id);
  return ids;
}

const limits = { maxBytes: 1000, maxDelayMs: 1000, disconnectBytes: 5000, disconnectAfterMs: 10_000 };

describe('PlayerQueue', () => {
  it('starts on a keyframe: earlier video is dropped, headers and audio pass', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    expect(queue.offer(header('seq'), 0)).toBe('queued');
    expect(queue.offer(video('p1'), 0)).toBe('dropped');
    expect(queue.offer(audio('a1'), 0)).toBe('queued');
    expect(queue.offer(video('k1', true), 0)).toBe('queued');
    expect(queue.offer(video('p2'), 0)).toBe('queued');
    expect(drain(queue)).toEqual(['seq', 'a1', 'k1', 'p2']);
    expect(queue.dropped).toBe(1);
  });

  it('when behind on bytes: drops queued video, keeps headers and audio, resumes at the next keyframe', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    queue.offer(video('k1', true, 300), 0);
    queue.offer(header('seq'), 0);
    queue.offer(video('p1', false, 300), 0);
    queue.offer(audio('a1'), 0);
    queue.offer(video('p2', false, 300), 0); // 960 bytes now
    expect(queue.offer(video('p3', false, 100), 0)).toBe('dropped'); // 1060 > 1000: behind
    expect(queue.bytes).toBe(60);
    expect(queue.offer(video('p4'), 0)).toBe('dropped');
    expect(queue.offer(audio('a2'), 0)).toBe('queued');
    expect(queue.offer(video('k2', true), 0)).toBe('queued');
    expect(queue.offer(video('p5'), 0)).toBe('queued');
    expect(drain(queue)).toEqual(['seq', 'a1', 'a2', 'k2', 'p5']);
    expect(queue.dropped).toBe(5); // k1, p1, p2, p3, p4
    expect(queue.peakBytes).toBe(960);
  });

  it('when behind on delay: the same, measured from the oldest queued entry', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    queue.offer(video('k1', true), 0);
    queue.offer(video('p1'), 500);
    expect(queue.offer(video('p2'), 1001)).toBe('dropped');
    expect(drain(queue)).toEqual([]);
  });

  it('drops audio too when keepAudio is false', () => {
    const queue = new PlayerQueue<Entry>({ ...limits, keepAudio: false }, 0);
    queue.offer(video('k1', true, 900), 0);
    queue.offer(audio('a1'), 0);
    expect(queue.offer(audio('a2', 200), 0)).toBe('dropped');
    queue.offer(header('seq'), 0);
    expect(drain(queue)).toEqual(['seq']);
  });

  it('asks for a disconnect past disconnectBytes (headers are never dropped, so they can pile up)', () => {
    const queue = new PlayerQueue<Entry>({ ...limits, disconnectBytes: 1000 }, 0);
    for (let i = 0; i < 20; i++) expect(queue.offer(header(`h${i}`), 0)).toBe('queued');
    expect(queue.offer(header('h20'), 0)).toBe('disconnect');
  });

  it('asks for a disconnect when entries waited and nothing was taken for disconnectAfterMs', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    queue.offer(video('k1', true), 0);
    expect(queue.offer(audio('a1'), 9_999)).toBe('queued');
    queue.progress(9_999);
    expect(queue.offer(audio('a2'), 19_998)).toBe('queued');
    expect(queue.offer(audio('a3'), 19_999)).toBe('disconnect');
  });

  it('an empty queue is never stalled, however long since the last progress', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    expect(queue.offer(video('k1', true), 60_000)).toBe('queued');
  });

  it('resync drops video until a keyframe', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    queue.offer(video('k1', true), 0);
    queue.resync();
    expect(queue.offer(video('p1'), 0)).toBe('dropped');
    expect(queue.offer(video('k2', true), 0)).toBe('queued');
  });

  it('passDirect applies the same keyframe gate without queueing (the fast path of an idle queue)', () => {
    const queue = new PlayerQueue<Entry>(limits, 0);
    expect(queue.passDirect('video', false, true)).toBe(true); // a header
    expect(queue.passDirect('video', false, false)).toBe(false); // not a keyframe yet
    expect(queue.passDirect('audio', false, false)).toBe(true);
    expect(queue.passDirect('video', true, false)).toBe(true);
    expect(queue.passDirect('video', false, false)).toBe(true);
    expect(queue.dropped).toBe(1);
    expect(queue.length).toBe(0);
    queue.resync();
    expect(queue.passDirect('video', false, false)).toBe(false);
  });

  it('checks its limits', () => {
    expect(() => new PlayerQueue<Entry>({ coalesceMs: -1 })).toThrow(/coalesceMs/);
    expect(() => new PlayerQueue<Entry>({ coalesceMs: 1001 })).toThrow(/coalesceMs/);
    expect(() => new PlayerQueue<Entry>({ coalesceMs: 0 })).not.toThrow();
    expect(() => new PlayerQueue<Entry>({ maxBytes: 0 })).toThrow(RangeError);
    expect(() => new PlayerQueue<Entry>({ maxBytes: 10, disconnectBytes: 5 })).toThrow(/disconnectBytes/);
  });
});
