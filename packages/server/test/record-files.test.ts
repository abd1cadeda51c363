import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PublishType, Session, StatusInfo } from '@rtmpkit/core';
import { indexFlvFile, readFlvFile } from '@rtmpkit/flv';
import { rtmp } from '@rtmpkit/rtmp';
import { describeWithPeers, makeTestFlv, peerPath, runPeer } from '@rtmpkit/test-peers';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createServer } from '../src/index.js';
import { recorder, type RecorderOptions, type RecordingSummary } from '../src/record/index.js';
import { vod } from '../src/vod/index.js';
import { play } from './helpers/clients.js';
import { ffmpegPublish, ffprobe } from './helpers/peers.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

/** `ffprobe -show_format` duration of a file, in seconds. */
async function probedDuration(file: string, dir: string): Promise<number> {
  const output = join(dir, `format-${Date.now()}-${Math.random()}.json`);
  const run = await runPeer(peerPath('ffprobe'), ['-v', 'error', '-show_format', '-of', 'json', '-o', output, file], { timeoutMs: 20_000 });
  expect(run.code, run.stderr).toBe(0);
  return Number((JSON.parse(readFileSync(output, 'utf8')) as { format: { duration: string } }).format.duration);
}

/** Our client publishes every tag of `file` (as fast as the connection takes them) as `type`. */
async function publishFile(url: string, name: string, type: PublishType, file: string): Promise<{ session: Session; statuses: StatusInfo[] }> {
  const session = await rtmp().connect(url);
  const stream = await session.createStream();
  const statuses: StatusInfo[] = [];
  stream.onStatus((info) => statuses.push(info));
  await stream.publish(name, type);
  for await (const tag of readFlvFile(file)) await stream.send(tag);
  return { session, statuses };
}

describeWithPeers('recording: record, append, record-all; files valid as they are written', ['ffmpeg', 'ffprobe'], () => {
  let dir: string;
  let clip: string;
  let server: TestServer | undefined;
  let recorded: RecordingSummary[] = [];
  const sessions: Session[] = [];

  beforeAll(async () => {
    clip = await makeTestFlv({ seconds: 3 });
  }, 60_000);

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close().catch(() => {})));
    await server?.close();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: Partial<RecorderOptions> = {}) => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-record-'));
    recorded = [];
    server = await startTestServer({ plugins: [recorder({ recordDir: join(dir, 'rec'), onRecorded: (summary) => recorded.push(summary), ...options })] });
    return server;
  };

  it('records every live stream with recordAll: ffmpeg publishes 3 s, the file grows as it goes, ffprobe reads ≈ 3 s', async () => {
    await start({ recordAll: true });
    const publisher = ffmpegPublish(clip, server!.url('live/x'), { timeoutMs: 20_000 });
    try {
      const folder = join(dir, 'rec', 'live');
      await until(() => existsSync(folder) && readdirSync(folder).length === 1, 'the recording file', 5000);
      const file = join(folder, readdirSync(folder)[0]!);
      expect(basename(file)).toMatch(/^x-\d{8}-\d{6}-\d{3}\.flv$/);
      // Written as it goes: mid-way the file already holds playable media.
      await until(() => statSync(file).size > 40_000, 'a second or so of media on disk', 5000);
      expect(recorded).toEqual([]);
      const partial = join(dir, 'partial.flv');
      copyFileSync(file, partial);
      const probe = await ffprobe(partial);
      expect(probe.run.code, probe.run.stderr).toBe(0);
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    } finally {
      expect((await publisher.done).code).toBe(0);
    }
    await until(() => recorded.length === 1, 'the end of the recording');
    expect(recorded[0]).toMatchObject({ app: 'live', name: 'x', kind: 'all', reason: 'unpublished', dropped: 0 });
    expect(await probedDuration(recorded[0]!.path, dir)).toBeGreaterThan(2.8);
    expect(await probedDuration(recorded[0]!.path, dir)).toBeLessThan(3.2);
    expect(recorded[0]!.duration).toBeCloseTo(3, 0);
  });

  it('record writes <app>/<name>.flv, append continues it, record again replaces it', async () => {
    await start();
    const file = join(dir, 'rec', 'live', 'show.flv');
    const once = async (type: PublishType) => {
      const { session } = await publishFile(server!.url('live'), 'show', type, clip);
      await session.close();
      await until(() => recorded.length > 0, `the ${type} recording`);
      return recorded.shift()!;
    };
    const first = await once('record');
    expect(first).toMatchObject({ path: file, kind: 'record', appended: false });
    const size = statSync(file).size;
    expect(await probedDuration(file, dir)).toBeCloseTo(3, 0);

    const second = await once('append');
    expect(second).toMatchObject({ path: file, kind: 'append', appended: true, discardedBytes: 0 });
    expect(statSync(file).size).toBeGreaterThan(size * 1.8);
    const index = await indexFlvFile(file); // throws on a damaged file
    expect(index.truncation).toBeUndefined();
    expect(index.duration).toBeGreaterThan(5.8);
    expect(await probedDuration(file, dir)).toBeGreaterThan(5.8);
    const video: number[] = [];
    for await (const tag of readFlvFile(file)) if (tag.type === 9) video.push(tag.timestamp);
    expect(video.every((timestamp, i) => i === 0 || timestamp >= video[i - 1]!)).toBe(true);
    const probe = await ffprobe(file);
    expect(probe.run.code, probe.run.stderr).toBe(0);

    await once('record');
    expect(Math.abs(statSync(file).size - size)).toBeLessThan(size * 0.05);
    // A live publish is not recorded without recordAll.
    const { session } = await publishFile(server!.url('live'), 'plain', 'live', clip);
    await session.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(join(dir, 'rec', 'live', 'plain.flv'))).toBe(false);
    expect(recorded).toEqual([]);
  });

  it('a recording cut anywhere (a crash) is readable up to its last complete tag: ffprobe, the index, and our VOD', async () => {
    await start();
    const { session } = await publishFile(server!.url('live'), 'cut', 'record', clip);
    await session.close();
    await until(() => recorded.length === 1, 'the recording');
    const whole = recorded[0]!.path;
    const size = statSync(whole).size;
    mkdirSync(join(dir, 'cuts', 'live'), { recursive: true });
    const vodServer = await startTestServer({ plugins: [vod({ mediaDir: join(dir, 'cuts'), leadMs: Infinity })] });
    try {
      for (let i = 0; i < 4; i++) {
        const offset = 2000 + Math.floor(Math.random() * (size - 4000));
        const copy = join(dir, 'cuts', 'live', `cut-${i}.flv`);
        copyFileSync(whole, copy);
        truncateSync(copy, offset);
        const probe = await ffprobe(copy);
        expect(probe.run.code, `cut at ${offset}: ${probe.run.stderr}`).toBe(0);
        expect(probe.streams.find((s) => s.codec_type === 'video'), `cut at ${offset}`).toMatchObject({ codec_name: 'h264' });
        const index = await indexFlvFile(copy, { truncated: 'stop' });
        expect(index.validLength).toBeLessThanOrEqual(offset);
        expect(offset - index.validLength).toBeLessThan(20_000); // at most the cut tag is lost
        const player = await play(vodServer.url('live'), `cut-${i}`, { start: 0 });
        await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.Stop'), `the end of cut-${i}`);
        expect(player.video().length).toBeGreaterThan(0);
        await player.close();
      }
    } finally {
      await vodServer.close();
    }
  });

  it('on shutdown a recording is flushed and closed before close() resolves; Record.Start/Stop go to a publisher that asked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-record-'));
    recorded = [];
    const own = createServer({
      transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } }],
      plugins: [recorder({ recordDir: join(dir, 'rec'), onRecorded: (summary) => recorded.push(summary) })],
    });
    await own.start();
    let told: string[] = [];
    try {
      // The statuses reach the publishing client itself, on its NetStream.
      const { session, statuses } = await publishFile(`rtmp://127.0.0.1:${own.addresses[0]!.port}/live`, 'kept', 'record', clip);
      sessions.push(session);
      told = statuses.map((info) => info.code).filter((code) => code.startsWith('NetStream.Record.'));
      await until(() => statuses.some((info) => info.code === 'NetStream.Record.Start'), 'Record.Start');
      told = statuses.map((info) => info.code).filter((code) => code.startsWith('NetStream.Record.'));
    } finally {
      await own.close();
    }
    expect(recorded).toHaveLength(1); // before close() resolved
    expect(recorded[0]).toMatchObject({ reason: 'server shutting down', name: 'kept' });
    expect(told).toEqual(['NetStream.Record.Start']);
    const index = await indexFlvFile(recorded[0]!.path);
    expect(index.truncation).toBeUndefined();
    expect(index.duration).toBeGreaterThan(2.5);
  });
});
