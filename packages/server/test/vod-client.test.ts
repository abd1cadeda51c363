import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeData } from '@rtmpkit/core';
import { indexFlvFile, type FlvIndex } from '@rtmpkit/flv';
import { rtmp } from '@rtmpkit/rtmp';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { vod, type VodOptions } from '../src/vod/index.js';
import { play, type Player, type Received } from './helpers/clients.js';
import { readFlvTags } from './helpers/flv.js';
import { isKeyframePayload, isVideoHeaderPayload } from './helpers/synthetic.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** The data messages of a player with this handler name. */
function dataNamed(player: Player, name: string): Array<{ message: Received; values: unknown[] }> {
  return player.messages
    .filter((m) => m.type === 18)
    .map((message) => ({ message, data: decodeData({ ...message, streamId: 1 }) }))
    .filter(({ data }) => data.name === name)
    .map(({ message, data }) => ({ message, values: data.values }));
}

const isFrame = (m: Received): boolean => m.type === 9 && !isVideoHeaderPayload(m.payload);

// makeTestFlv needs ffmpeg; the rest of these tests are our client against our server.
describeWithPeers('vod: our client plays FLV files (seek, pause, end, limits, names)', ['ffmpeg'], () => {
  let server: TestServer | undefined;
  let root: string;
  let mediaDir: string;
  let clip: string;
  let index: FlvIndex;
  const players: Player[] = [];

  beforeAll(async () => {
    clip = await makeTestFlv({ seconds: 5 }); // 25 fps, a key frame every second
    index = await indexFlvFile(clip); // (video starts at 23 ms, after AAC's priming)
    root = mkdtempSync(join(tmpdir(), 'rtmpkit-vod-'));
    mediaDir = join(root, 'media');
    mkdirSync(join(mediaDir, 'vod', 'sub'), { recursive: true });
    copyFileSync(clip, join(mediaDir, 'vod', 'clip.flv'));
    copyFileSync(clip, join(mediaDir, 'vod', 'sub', 'nested.flv'));
    copyFileSync(clip, join(root, 'secret.flv')); // outside the media folder: never served
    symlinkSync(join(root, 'secret.flv'), join(mediaDir, 'vod', 'link.flv'));
  }, 60_000);

  afterEach(async () => {
    await Promise.all(players.splice(0).map((player) => player.close()));
    await server?.close();
    server = undefined;
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const start = async (options: Partial<VodOptions> = {}) => {
    server = await startTestServer({ plugins: [vod({ mediaDir, ...options })] });
    return server;
  };
  const open = async (name: string, options: Parameters<typeof play>[2] = {}, app = 'vod') => {
    const player = await play(server!.url(app), name, options);
    players.push(player);
    return player;
  };

  it('plays a whole file: metadata with the duration, every tag, then StreamEOF, Play.Complete and Play.Stop', async () => {
    await start({ leadMs: Infinity });
    const player = await open('clip', { start: 0 });
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.Stop'), 'Play.Stop', 10_000);
    await player.done; // our client ends the play on Play.Stop
    const [metadata] = dataNamed(player, 'onMetaData');
    expect((metadata!.values[0] as { duration: number }).duration).toBeCloseTo(5, 1);
    const fileTags = readFlvTags(clip).filter((tag) => tag.type === 8 || tag.type === 9);
    const media = player.messages.filter((m) => m.type === 8 || m.type === 9);
    expect(media.map((m) => m.timestamp)).toEqual(fileTags.map((tag) => tag.timestamp));
    expect(media.every((m, i) => m.payload.equals(fileTags[i]!.payload))).toBe(true);
    const [complete] = dataNamed(player, 'onPlayStatus');
    expect(complete!.values[0]).toMatchObject({ code: 'NetStream.Play.Complete', level: 'status' });
    expect((complete!.values[0] as { bytes: number }).bytes).toBeGreaterThan(100_000);
    const codes = player.statuses.map((s) => s.code);
    expect(codes.at(-1)).toBe('NetStream.Play.Stop');
    // Play.Complete came after the last media message, Play.Stop after Play.Complete.
    expect(player.messages.indexOf(complete!.message)).toBe(player.messages.length - 1);
  });

  it('is paced in real time after a burst of leadMs', async () => {
    await start({ leadMs: 1000 });
    const player = await open('clip', { start: 0 });
    await player.waitFor((p) => p.video().some((m) => m.timestamp >= 2000), 'two seconds of media', 5000);
    const first = player.video()[0]!.at;
    const late = player.video().find((m) => m.timestamp >= 2000)!;
    // 2 s of media, 1 s of it sent at once: about 1 s after the first frame, surely not at once.
    expect(late.at - first).toBeGreaterThan(700);
    expect(late.at - first).toBeLessThan(4000); // (a bound for a loaded machine: the burst is checked below)
    const burst = player.video().filter((m) => m.at - first < 200);
    expect(burst.length).toBeGreaterThanOrEqual(20); // the first second came at once
  });

  it('starts at the key frame at or before the start offset, and stops at the duration limit', async () => {
    await start({ leadMs: Infinity });
    const player = await open('clip', { start: 2500, duration: 1000 });
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.Stop'), 'Play.Stop');
    const video = player.video();
    expect(isVideoHeaderPayload(video[0]!.payload)).toBe(true); // the decoder configuration first
    expect(isKeyframePayload(video[1]!.payload)).toBe(true);
    expect(video[1]!.timestamp).toBe(index.seek(2500)!.timestamp);
    expect(video[1]!.timestamp).toBeLessThanOrEqual(2500);
    const media = player.messages.filter((m) => m.type === 8 || m.type === 9);
    expect(Math.max(...media.map((m) => m.timestamp))).toBeLessThanOrEqual(3500);
    expect(Math.max(...media.map((m) => m.timestamp))).toBeGreaterThan(3400);
    expect(dataNamed(player, 'onPlayStatus')[0]!.values[0]).toMatchObject({ code: 'NetStream.Play.Complete' });
  });

  it('seeks: Seek.Notify, then media from the key frame at or before the target', async () => {
    await start();
    const player = await open('clip', { start: 0 });
    await player.waitFor((p) => p.video().length > 10, 'some video');
    // Statuses arrive apart from the media iterator, so the media of each run is told apart by
    // the video sequence header it starts with (sent at the start, and after each seek).
    const runs = () => {
      const video = player.video();
      const starts = video.flatMap((m, i) => (isVideoHeaderPayload(m.payload) ? [i] : []));
      return starts.map((start, n) => video.slice(start, starts[n + 1]));
    };
    await player.stream.seek(3500);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Seek.Notify'), 'Seek.Notify');
    await player.waitFor(() => (runs()[1]?.length ?? 0) >= 6, 'video after the seek');
    const after = runs()[1]!;
    const key = index.seek(3500)!.timestamp;
    expect(key).toBeGreaterThan(2900);
    expect(isKeyframePayload(after[1]!.payload)).toBe(true);
    expect(after[1]!.timestamp).toBe(key);
    expect(after.slice(1).map((m) => m.timestamp)).toEqual(after.slice(1).map((_, i) => key + i * 40));
    // Seeking back works too.
    await player.stream.seek(1200);
    await player.waitFor((p) => p.statuses.filter((s) => s.code === 'NetStream.Seek.Notify').length === 2, 'the second Seek.Notify');
    await player.waitFor(() => (runs()[2]?.length ?? 0) >= 2, 'video after the second seek');
    const back = runs()[2]![1]!;
    expect(isKeyframePayload(back.payload)).toBe(true);
    expect(back.timestamp).toBe(index.seek(1200)!.timestamp);
    expect(back.timestamp).toBeLessThan(1200);
  });

  it('pauses (nothing is sent) and unpauses with the media after the pause position', async () => {
    await start();
    const player = await open('clip', { start: 0 });
    await player.waitFor((p) => p.video().some((m) => m.timestamp >= 1200), 'a second of video');
    const position = player.video().at(-1)!.timestamp;
    await player.stream.pause(true, position);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Pause.Notify'), 'Pause.Notify');
    // Statuses arrive apart from the media iterator: let what was sent before the pause arrive.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const paused = player.messages.length;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the file plays at 25 fps: 37 frames if it went on
    expect(player.messages.length).toBe(paused);
    await player.stream.pause(false, position);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Unpause.Notify'), 'Unpause.Notify');
    await player.waitFor((p) => p.messages.slice(paused).filter(isFrame).length >= 3, 'video after unpause');
    const after = player.messages.slice(paused).filter((m) => m.type === 8 || m.type === 9);
    expect(after.every((m) => m.timestamp > position)).toBe(true);
    expect(after.filter(isFrame).slice(0, 3).map((m) => m.timestamp)).toEqual([position + 40, position + 80, position + 120]);
  });

  it('answers getStreamLength, and _checkbw', async () => {
    await start();
    const session = await rtmp().connect(server!.url('vod'));
    try {
      const [length] = (await session.call('getStreamLength', ['clip'])).args as number[];
      expect(length).toBeCloseTo(5, 1);
      expect((await session.call('getStreamLength', ['missing'])).args).toEqual([0]);
      await expect(session.call('_checkbw')).resolves.toBeDefined();
    } finally {
      await session.close();
    }
  });

  it('plays sub-folders and the flv: / .flv spellings of a name', async () => {
    await start({ leadMs: Infinity });
    for (const name of ['sub/nested', 'clip.flv', 'flv:clip']) {
      const player = await open(name, { start: 0 });
      await player.waitFor((p) => p.video().some(isFrame), `video of ${name}`);
    }
  });

  it('never serves a file outside the media folder: StreamNotFound', async () => {
    await start({ notFound: 'refuse' });
    const names = ['../secret', '../../secret', 'sub/../../../secret', '/etc/passwd', `${root}/secret`, 'link', '.hidden', 'sub//nested', 'mp4:clip', 'a\\..\\secret', 'c:secret'];
    for (const name of names) {
      await expect(open(name, { start: 0 }), name).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
    }
    // NUL and other controls are refused by the server before any source is asked.
    await expect(open('clip\u0000', { start: 0 })).rejects.toMatchObject({ name: 'StreamRejectedError' });
    // An application that is a path is no way out either.
    const session = await rtmp().connect(server!.url('vod'), { command: { app: 'vod/..' } });
    try {
      const stream = await session.createStream();
      await expect(stream.play('secret', { start: 0 })).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
    } finally {
      await session.close();
    }
    // The same names with notFound 'pass': still not found (no source serves them).
    await server!.close();
    await start();
    await expect(open('../secret', { start: 0 })).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
  });

  it('refuses plays past maxPlays, and serves only its apps', async () => {
    await start({ maxPlays: 1, apps: ['vod'] });
    await open('clip', { start: 0 });
    await expect(open('clip', { start: 0 })).rejects.toMatchObject({ statusCode: 'NetStream.Play.Failed' });
    await expect(open('clip', { start: 0 }, 'other')).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
  });
});
