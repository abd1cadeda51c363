import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithPeers, makeTestFlv, peerPath, runPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { vod } from '../src/vod/index.js';
import { ffmpegDecode, ffprobe } from './helpers/peers.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** `ffprobe -show_format` of a file or URL: the duration it reports, in seconds. */
async function probedDuration(input: string, dir: string): Promise<number> {
  const output = join(dir, `format-${Date.now()}.json`);
  const run = await runPeer(peerPath('ffprobe'), ['-v', 'error', '-show_format', '-of', 'json', '-o', output, input], { timeoutMs: 20_000 });
  expect(run.code, run.stderr).toBe(0);
  return Number((JSON.parse(readFileSync(output, 'utf8')) as { format: { duration: string } }).format.duration);
}

describeWithPeers('vod interop: ffprobe, ffmpeg and rtmpdump read files from the media folder', ['ffmpeg', 'ffprobe', 'rtmpdump'], () => {
  let server: TestServer;
  /** The same folder, unpaced: rtmpdump downloads as fast as it reads. */
  let unpaced: TestServer;
  let dir: string;
  let clip: string;
  /**
   * rtmpdump calls a download complete when its last timestamp reaches 99.9 % of the metadata
   * duration; FFmpeg-made files end a frame interval (~40 ms) after their last tag, so only a
   * file of 40 s or more passes that test. (On a shorter one rtmpdump exits with 2, "download
   * may be incomplete (99.8 %)", whatever the server.)
   */
  let long: string;

  beforeAll(async () => {
    [clip, long] = await Promise.all([makeTestFlv({ seconds: 5 }), makeTestFlv({ seconds: 40, width: 160, height: 120 })]);
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-vod-interop-'));
    mkdirSync(join(dir, 'media', 'vod'), { recursive: true });
    copyFileSync(clip, join(dir, 'media', 'vod', 'clip.flv'));
    copyFileSync(long, join(dir, 'media', 'vod', 'long.flv'));
    server = await startTestServer({ plugins: [vod({ mediaDir: join(dir, 'media'), apps: ['vod'] })] });
    unpaced = await startTestServer({ plugins: [vod({ mediaDir: join(dir, 'media'), apps: ['vod'], leadMs: Infinity })] });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await unpaced?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ffprobe sees h264 320x240 and aac, and the duration', async () => {
    const probe = await ffprobe(server.url('vod/clip'));
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    expect(await probedDuration(server.url('vod/clip'), dir)).toBeCloseTo(5, 1);
  });

  it('ffmpeg -i rtmp://…/vod/clip -t 2 -f null - decodes two seconds of frames', async () => {
    const { run, frames } = await ffmpegDecode(server.url('vod/clip'), 2, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(frames).toBeGreaterThanOrEqual(45);
  });

  it('rtmpdump downloads the whole file, ending by itself on Play.Stop: "Download complete", same duration and frames', async () => {
    const out = join(dir, 'dump.flv');
    const run = await runPeer(peerPath('rtmpdump'), ['-r', unpaced.url('vod/long'), '-o', out], { timeoutMs: 20_000 });
    expect(run.timedOut).toBe(false); // without Play.Stop it would wait for its 30 s timeout
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Download complete');
    const duration = await probedDuration(long, dir);
    expect(duration).toBeGreaterThan(39.9);
    expect(Math.abs((await probedDuration(out, dir)) - duration)).toBeLessThanOrEqual(0.1);
    const count = async (file: string) => {
      const { run: decode, frames } = await ffmpegDecode(file, 60, dir);
      expect(decode.code, decode.stderr).toBe(0);
      return frames;
    };
    expect(await count(out)).toBe(await count(long));
  });
});
