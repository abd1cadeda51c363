import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { FlvReader } from '@rtmpkit/flv';
import { describe, expect, it } from 'vitest';
import { HttpFlvSink, signStream, type HttpFlvSinkOptions, type LiveMessage } from '../src/index.js';
import { parseFlvPath } from '../src/http/flv-route.js';
import { authorizeHttpPlay, type HttpPlayRequest } from '../src/http/http-auth.js';
import { resolveHttpOptions } from '../src/http/http-options.js';
import { toJsonSafe } from '../src/http/json-safe.js';

/** A response whose socket takes `room` bytes, then asks to wait until `drain()`. */
class FakeResponse extends EventEmitter {
  readonly chunks: Buffer[] = [];
  ended = false;
  destroyed = false;
  room = Infinity;

  write(bytes: Buffer): boolean {
    this.chunks.push(Buffer.from(bytes));
    this.room -= bytes.length;
    return this.room > 0;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  drain(room = Infinity): void {
    this.room = room;
    this.emit('drain');
  }
  tags(): Array<{ type: number; timestamp: number; size: number }> {
    const tags: Array<{ type: number; timestamp: number; size: number }> = [];
    new FlvReader().push(Buffer.concat(this.chunks), (tag) => tags.push({ type: tag.type, timestamp: tag.timestamp, size: tag.payload.length }));
    return tags;
  }
}

const frame = (type: number, timestamp: number, options: { keyframe?: boolean; header?: boolean; size?: number } = {}): LiveMessage => ({
  type,
  timestamp,
  payload: Buffer.alloc(options.size ?? 100, type),
  keyframe: options.keyframe ?? false,
  header: options.header ?? false,
  shared: new Map(),
});

function sinkOn(response: FakeResponse, overrides: Partial<HttpFlvSinkOptions> = {}, clock = { now: 0 }) {
  const ends: Array<[string, string]> = [];
  const sink = new HttpFlvSink(response as unknown as ServerResponse, {
    queue: { maxBytes: 1000, disconnectBytes: 5000, maxDelayMs: 60_000, disconnectAfterMs: 10_000 },
    hasAudio: true,
    hasVideo: true,
    onEnd: (reason, detail) => ends.push([reason, detail]),
    now: () => clock.now,
    ...overrides,
  });
  return { sink, ends, clock };
}

describe('HttpFlvSink', () => {
  it('writes the FLV header, then tags rebased so the first frame after the headers is at 0', () => {
    const response = new FakeResponse();
    const { sink } = sinkOn(response);
    sink.write(frame(18, 0, { header: true }));
    sink.write(frame(9, 0, { header: true, keyframe: false }));
    sink.write(frame(9, 5000, { keyframe: true }));
    sink.write(frame(8, 4990));
    sink.write(frame(9, 5040));
    expect(Buffer.concat(response.chunks).toString('latin1', 0, 3)).toBe('FLV');
    expect(Buffer.concat(response.chunks)[4]).toBe(0x05); // audio + video flags
    expect(response.tags().map((t) => [t.type, t.timestamp])).toEqual([
      [18, 0],
      [9, 0],
      [9, 0],
      [8, 0],
      [9, 40],
    ]);
    expect(sink.stats()).toMatchObject({ messagesOut: 5, bytesOut: 500, dropped: 0 });
  });

  it('sends the header alone on start() and sets only the flags of the tracks there are', () => {
    const response = new FakeResponse();
    const { sink } = sinkOn(response, { hasAudio: false });
    sink.start();
    expect(response.chunks).toHaveLength(1);
    expect(response.chunks[0]!.length).toBe(13);
    expect(response.chunks[0]![4]).toBe(0x01);
  });

  it('queues while the socket waits, drops non-key video when behind, and resumes on a keyframe', () => {
    const response = new FakeResponse();
    const { sink } = sinkOn(response);
    sink.write(frame(9, 0, { keyframe: true }));
    response.room = 0; // the next write fills the socket
    sink.write(frame(9, 40, { size: 400 }));
    for (let i = 2; i < 6; i++) sink.write(frame(9, i * 40, { size: 400 })); // past maxBytes: behind
    expect(sink.stats().dropped).toBeGreaterThan(0);
    sink.write(frame(9, 240, { size: 400 })); // not a keyframe: dropped while resyncing
    sink.write(frame(9, 280, { keyframe: true, size: 400 }));
    response.drain();
    const video = response.tags().filter((t) => t.type === 9);
    expect(video.at(-1)!.timestamp).toBe(280);
    expect(video.map((t) => t.timestamp)).not.toContain(240);
    expect(response.ended).toBe(false);
  });

  it('past disconnectBytes it reports a slow client once and writes nothing more', () => {
    const response = new FakeResponse();
    const { sink, ends } = sinkOn(response, { queue: { maxBytes: 1000, disconnectBytes: 1500, keepAudio: true } });
    sink.write(frame(9, 0, { keyframe: true }));
    response.room = 0;
    sink.write(frame(9, 40, { keyframe: true }));
    for (let i = 0; i < 40; i++) sink.write(frame(8, 40 + i, { size: 100 })); // audio is kept, so it piles up
    expect(ends).toHaveLength(1);
    expect(ends[0]![0]).toBe('slow');
    const written = response.chunks.length;
    sink.write(frame(9, 2000, { keyframe: true }));
    expect(response.chunks.length).toBe(written);
    expect(sink.ended).toBe(true);
  });

  it('ends the response when the publisher leaves, or destroys it when it was backed up', () => {
    const ok = new FakeResponse();
    const first = sinkOn(ok);
    first.sink.write(frame(9, 0, { keyframe: true }));
    first.sink.unpublished();
    expect(ok.ended).toBe(true);
    expect(first.ends).toEqual([['ended', 'the publisher left']]);

    const stuck = new FakeResponse();
    const second = sinkOn(stuck);
    stuck.room = 0;
    second.sink.write(frame(9, 0, { keyframe: true }));
    second.sink.write(frame(9, 40));
    second.sink.close('server shutting down');
    expect(stuck.destroyed).toBe(true);
    expect(second.ends[0]![0]).toBe('closed');
  });

  it('a new publisher (takeover) ends the response too', () => {
    const response = new FakeResponse();
    const { sink, ends } = sinkOn(response);
    sink.published();
    expect(response.ended).toBe(true);
    expect(ends[0]![0]).toBe('ended');
  });
});

describe('HTTP-FLV paths, options and JSON', () => {
  it('parseFlvPath reads app (one or more segments) and stream name, and refuses the rest', () => {
    expect(parseFlvPath('/live/cam1.flv')).toEqual({ app: 'live', name: 'cam1' });
    expect(parseFlvPath('/vod/room1/cam%201.flv')).toEqual({ app: 'vod/room1', name: 'cam 1' });
    expect(parseFlvPath('/cam1.flv')).toBeUndefined();
    expect(parseFlvPath('/live//x.flv')).toBeUndefined();
    expect(parseFlvPath('/live/x.mp4')).toBeUndefined();
    expect(parseFlvPath('/live/%E0%A4%A.flv')).toBeUndefined();
  });

  it('resolveHttpOptions fills in the documented defaults and refuses bad values', () => {
    expect(resolveHttpOptions()).toMatchObject({ port: 8080, host: '0.0.0.0', tunnel: 'rtmpte', cors: '*', flv: true, api: true, metrics: true, dashboard: true, maxFlvPlayers: 1000 });
    expect(() => resolveHttpOptions({ port: 70_000 })).toThrow(/http.port/);
    expect(() => resolveHttpOptions({ maxFlvPlayers: 0 })).toThrow(/maxFlvPlayers/);
    expect(() => resolveHttpOptions({ tunnel: 'rtmps' as never })).toThrow(/http.tunnel/);
    expect(() => resolveHttpOptions({ apiToken: '' })).toThrow(/apiToken/);
    expect(() => resolveHttpOptions({ player: { maxBytes: 10, disconnectBytes: 5 } })).toThrow(/disconnectBytes/);
  });

  it('toJsonSafe turns AMF values into JSON and bounds what publishers send', () => {
    const safe = toJsonSafe({
      when: new Date(0),
      bytes: new Uint8Array(7),
      map: new Map([['a', 1]]),
      nan: Number.NaN,
      long: 'x'.repeat(5000),
      many: Array.from({ length: 500 }, (_, i) => i),
      deep: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } },
    }) as Record<string, any>;
    expect(safe.when).toBe('1970-01-01T00:00:00.000Z');
    expect(safe.bytes).toEqual({ bytes: 7 });
    expect(safe.map).toEqual({ a: 1 });
    expect(safe.nan).toBeNull();
    expect(safe.long.length).toBeLessThan(1100);
    expect(safe.many).toHaveLength(64);
    expect(JSON.stringify(safe)).toContain('"…"');
  });
});

describe('authorizeHttpPlay', () => {
  const secret = 'http auth secret';
  const request = (query: string): HttpPlayRequest => ({ app: 'live', name: 'cam1', query: new URLSearchParams(query), remote: '127.0.0.1:1', headers: {} });

  it('checks the same signed URLs as RTMP', async () => {
    const { query } = signStream('live', 'cam1', { secret, expiresIn: 60 });
    expect(await authorizeHttpPlay({ signedUrls: { secret } }, request(query))).toEqual({ allow: true });
    expect(await authorizeHttpPlay({ signedUrls: { secret } }, request(''))).toMatchObject({ allow: false, reason: expect.stringMatching(/required/) });
    expect(await authorizeHttpPlay({ signedUrls: { secret: 'other secret' } }, request(query))).toMatchObject({ allow: false, reason: expect.stringMatching(/not valid/) });
    expect(await authorizeHttpPlay({ signedUrls: { secret, require: ['publish'] } }, request(''))).toEqual({ allow: true });
  });

  it('asks the hook; a throw or a late answer refuses', async () => {
    expect(await authorizeHttpPlay({ onPlay: ({ query }) => query.get('key') === 'k' }, request('key=k'))).toEqual({ allow: true });
    expect(await authorizeHttpPlay({ onPlay: () => ({ allow: false, reason: 'nope' }) }, request(''))).toEqual({ allow: false, reason: 'nope' });
    expect(await authorizeHttpPlay({ onPlay: () => { throw new Error('boom'); } }, request(''))).toMatchObject({ allow: false, reason: 'Authorization failed.' });
    const late = await authorizeHttpPlay({ onPlay: () => new Promise(() => {}), hookTimeoutMs: 50 }, request(''));
    expect(late).toEqual({ allow: false, reason: 'Authorization timed out.' });
  });
});
