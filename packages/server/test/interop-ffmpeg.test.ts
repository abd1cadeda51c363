import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeData } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv, peerPath, runPeer, type RunningPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signStreamUrl } from '../src/index.js';
import { play, type Player } from './helpers/clients.js';
import { readFlvTags } from './helpers/flv.js';
import { ffmpegDecode, ffmpegPublish, ffprobe } from './helpers/peers.js';
import { isKeyframePayload, isVideoHeaderPayload } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

const SECRET = 'interop secret, long enough';

describeWithPeers('interop: ffmpeg publishes through the server; ffprobe, ffmpeg and rtmpdump play', ['ffmpeg', 'ffprobe', 'rtmpdump'], () => {
  let server: TestServer;
  let signedServer: TestServer;
  let dir: string;
  /** 20 s, keyframe every 4 s: a player that had to wait for a keyframe would wait up to 4 s. */
  let longGop: string;
  let shortFile: string;
  const publishers: RunningPeer[] = [];
  const players: Player[] = [];

  const startPublisher = (url: string, file = longGop, loop = true): RunningPeer => {
    const peer = ffmpegPublish(file, url, { loop });
    publishers.push(peer);
    return peer;
  };
  const waitLive = (target: TestServer, name: string) =>
    until(() => target.server.streams().some((s) => s.name === name && s.gop.messages > 0), `${name} to be live`, 15_000);

  beforeAll(async () => {
    [longGop, shortFile] = await Promise.all([makeTestFlv({ seconds: 20, gop: 100 }), makeTestFlv({ seconds: 3 })]);
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-server-interop-'));
    server = await startTestServer();
    signedServer = await startTestServer({ auth: { signedUrls: { secret: SECRET } } });
    startPublisher(server.url('live/main'));
    await waitLive(server, 'main');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(players.map((player) => player.close()));
    await Promise.all(publishers.map((peer) => peer.stop()));
    await server?.close();
    await signedServer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ffprobe sees h264 320x240 and aac', async () => {
    const probe = await ffprobe(server.url('live/main'));
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('ffmpeg -t 2 -f null - decodes two seconds of frames', async () => {
    const { run, frames } = await ffmpegDecode(server.url('live/main'), 2, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(frames).toBeGreaterThanOrEqual(40);
  });

  it('rtmpdump, arriving late, gets metadata, sequence headers, then a keyframe (from the GOP cache)', async () => {
    const out = join(dir, 'late.flv');
    const run = await runPeer('timeout', ['4', peerPath('rtmpdump'), '-q', '--live', '-r', server.url('live/main'), '-o', out], { timeoutMs: 10_000 });
    expect(run.code, run.stderr).toBe(124); // still receiving when timeout stopped it
    const tags = readFlvTags(out);
    expect(decodeData({ type: 18, timestamp: 0, streamId: 0, payload: tags[0]!.payload }).name).toBe('onMetaData');
    const video = tags.filter((tag) => tag.type === 9);
    expect(isVideoHeaderPayload(video[0]!.payload)).toBe(true);
    expect(isKeyframePayload(video[1]!.payload)).toBe(true);
    expect(tags.filter((tag) => tag.type === 8)[0]!.payload[1]).toBe(0); // AAC sequence header first
    const probe = await ffprobe(out);
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  });

  it('a late player of ours starts on a cached keyframe at once, though the next one is seconds away', async () => {
    const joinedAt = Date.now();
    const player = await play(server.url('live'), 'main');
    players.push(player);
    await player.waitFor((p) => p.video().some((m) => isKeyframePayload(m.payload)), 'a keyframe', 6000);
    const video = player.video();
    expect(isVideoHeaderPayload(video[0]!.payload)).toBe(true);
    const first = video[1]!;
    expect(isKeyframePayload(first.payload)).toBe(true);
    // The GOP is 4 s long: waiting for a fresh keyframe would take 2 s on average. The generous
    // bound only catches a missing cache; it is not a benchmark.
    expect(first.at - joinedAt).toBeLessThan(1500);
    // It came from the cache: frames after it, already sent by ffmpeg, followed at once.
    await player.waitFor((p) => p.video().length > 20, 'the cached GOP');
    expect(player.video()[20]!.at - first.at).toBeLessThan(1000);
  });

  it('refuses a second ffmpeg publisher of the name (BadName); the first goes on', async () => {
    const second = await runPeer(
      peerPath('ffmpeg'),
      ['-hide_banner', '-nostdin', '-loglevel', 'info', '-re', '-i', shortFile, '-c', 'copy', '-f', 'flv', server.url('live/main')],
      { timeoutMs: 15_000 },
    );
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/already being published|BadName/);
    const probe = await ffprobe(server.url('live/main'));
    expect(probe.streams.length).toBe(2);
    expect(server.server.stats().counters.deniedPublishes).toBeGreaterThanOrEqual(1);
  });

  it('tells a waiting player UnpublishNotify when ffmpeg stops, and PublishNotify + fresh headers when it publishes again', async () => {
    const player = await play(server.url('live'), 'again');
    players.push(player);
    const first = startPublisher(server.url('live/again'), shortFile, false);
    expect((await first.done).code).toBe(0);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.UnpublishNotify'), 'UnpublishNotify');
    const before = player.messages.length;
    expect(player.video().length).toBeGreaterThan(50);
    startPublisher(server.url('live/again'), shortFile, false);
    await player.waitFor((p) => p.messages.length > before + 10, 'the second publish');
    const codes = player.statuses.map((s) => s.code);
    expect(codes.filter((code) => code === 'NetStream.Play.PublishNotify')).toHaveLength(2);
    const fresh = player.messages.slice(before);
    expect(decodeData({ type: 18, timestamp: 0, streamId: 0, payload: fresh[0]!.payload }).name).toBe('onMetaData');
    const freshVideo = fresh.filter((m) => m.type === 9);
    expect(isVideoHeaderPayload(freshVideo[0]!.payload)).toBe(true);
    expect(isKeyframePayload(freshVideo[1]!.payload)).toBe(true);
    expect(player.session.state).toBe('connected');
  });

  it('signed URLs: ffmpeg publishes and ffprobe plays with valid signatures; a bad one is refused', async () => {
    startPublisher(signStreamUrl(signedServer.url('live/cam'), { secret: SECRET, expiresIn: 300 }));
    await waitLive(signedServer, 'cam');
    const probe = await ffprobe(signStreamUrl(signedServer.url('live/cam'), { secret: SECRET, expiresIn: 300 }));
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.length).toBe(2);
    const wrong = await ffprobe(signStreamUrl(signedServer.url('live/cam'), { secret: 'not the secret', expiresIn: 300 }));
    expect(wrong.run.code).not.toBe(0);
    expect(wrong.streams).toEqual([]);
    const expired = await ffprobe(signStreamUrl(signedServer.url('live/cam'), { secret: SECRET, expiresAt: 1 }));
    expect(expired.run.code).not.toBe(0);
    expect(signedServer.server.stats().counters.deniedPlays).toBe(2);
  });

  it('takeover: a second ffmpeg replaces the first, and a player keeps receiving', async () => {
    const takeover = await startTestServer({ live: { takeover: true } });
    try {
      const first = startPublisher(takeover.url('live/t'));
      await waitLive(takeover, 't');
      const player = await play(takeover.url('live'), 't');
      players.push(player);
      await player.waitFor((p) => p.video().length > 10, 'frames from the first publisher');
      const firstSession = takeover.server.streams()[0]!.publisher!.sessionId;
      startPublisher(takeover.url('live/t'));
      const firstExit = await first.done; // the server closed its connection
      expect(firstExit.timedOut).toBe(false);
      await until(() => takeover.server.streams()[0]?.publisher?.sessionId !== firstSession, 'the new publisher');
      const count = player.video().length;
      await player.waitFor((p) => p.video().length > count + 25, 'frames from the second publisher', 8000);
      expect(player.statuses.map((s) => s.code)).not.toContain('NetStream.Play.UnpublishNotify');
      expect(takeover.server.stats().counters.takeovers).toBe(1);
    } finally {
      await takeover.close();
    }
  });
});
