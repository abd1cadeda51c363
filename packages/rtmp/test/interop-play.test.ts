import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeWithPeers, makeTestFlv, peerPath, runPeer, startPeer, type RunningPeer } from '@rtmpkit/test-peers';
import type { AmfValue, NetStream, Session } from '@rtmpkit/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ffprobe } from './helpers/ffmpeg.js';
import { readFlvTags, type FlvTag } from './helpers/flv-file.js';
import { sendFlvTags, type ServeOptions, type ServeResult } from './helpers/flv-source.js';
import { corruptS2Signature, handshakeFacts } from './helpers/handshakes.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** Media timestamps of `live/movie-late` start here: the keyframe at 1 s is past 2^24 ms. */
const LATE_OFFSET = 16_776_500;

/** 64 hex zeros: with `-w` (and `-x`), librtmp uses and checks the digest handshake. */
const ZERO_SWF_HASH = '0'.repeat(64);

describeWithPeers('interop: ffprobe, ffmpeg and rtmpdump play from our listener', ['ffmpeg', 'ffprobe', 'rtmpdump'], () => {
  let server: TestServer;
  let badServer: TestServer;
  let pingServer: TestServer;
  let tags: FlvTag[];
  let dir: string;
  const served = new Map<Session, Promise<ServeResult>>();
  const peers: RunningPeer[] = [];
  /** Sends the file to a player once the session has sent NetStream.Play.Start (right after the handler returns). */
  const serve = (stream: NetStream, options: ServeOptions): void => {
    served.set(stream.session, new Promise((resolve) => setImmediate(resolve)).then(() => sendFlvTags(stream, tags, options)));
  };

  beforeAll(async () => {
    tags = await readFlvTags(await makeTestFlv({ seconds: 5 }));
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-interop-play-'));
    // `live/movie` plays the file at twice real time and then stays open (a live stream gone quiet);
    // `live/movie-end` ends the play after the file (StreamEOF + NetStream.Play.Stop); `live/movie-late`
    // too, with timestamps that cross 0xFFFFFF (extended timestamps).
    server = await startTestServer({
      play({ stream, name }) {
        if (name !== 'movie' && name !== 'movie-end' && name !== 'movie-late') {
          throw Object.assign(new Error(`${name} is not here.`), { statusCode: 'NetStream.Play.StreamNotFound' });
        }
        const closeAtEnd = name !== 'movie';
        const timestampOffset = name === 'movie-late' ? LATE_OFFSET : 0;
        const live = (metadata: Record<string, AmfValue>) => ({ ...metadata, duration: 0 });
        serve(stream, { speed: 2, leadMs: 500, closeAtEnd, timestampOffset, metadata: live });
      },
    });
    // Pings every 250 ms, and drops a connection that sends nothing for 1 s: a player only stays
    // if it answers the pings.
    pingServer = await startTestServer({
      listen: { pingInterval: 250, timeouts: { idle: 1000 } },
      play({ stream }) {
        serve(stream, { speed: 1, leadMs: 300 });
      },
    });
    badServer = await startTestServer({
      handshake: corruptS2Signature,
      play({ stream }) {
        serve(stream, { speed: 2 });
      },
    });
  });

  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.stop()));
    await server?.close();
    await badServer?.close();
    await pingServer?.close();
    await Promise.all(served.values());
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ffprobe decodes h264 and aac frames (and checked our digest handshake)', async () => {
    const before = server.handshakes.length;
    const probe = await ffprobe(server.url('live/movie'), { frames: true, readSeconds: 2 });
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.run.stderr).toBe('');
    const video = probe.streams.find((stream) => stream.codec_type === 'video');
    const audio = probe.streams.find((stream) => stream.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(audio).toMatchObject({ codec_name: 'aac' });
    const videoFrames = probe.frames.filter((frame) => frame.media_type === 'video');
    const audioFrames = probe.frames.filter((frame) => frame.media_type === 'audio');
    expect(videoFrames.length).toBeGreaterThanOrEqual(25);
    expect(videoFrames.filter((frame) => frame.key_frame === 1).length).toBeGreaterThanOrEqual(2);
    expect(audioFrames.length).toBeGreaterThanOrEqual(40);

    // FFmpeg's player verifies S1's digest and S2's signature; it signed its C2 with our S1 digest.
    expect(server.handshakes.length).toBe(before + 1);
    expect(handshakeFacts(server.handshakes[before])).toMatchObject({
      done: true,
      digest: true,
      peerLayout: 'digest-first',
      responseMatch: 'signature',
      peerVersionBytes: '09007c02',
    });
    const record = server.records.at(-1)!;
    expect(record.session.connectInfo).toMatchObject({ app: 'live', flashVer: 'LNX 9,0,124,2' });
    expect(record.plays.map((play) => [play.name, play.start])).toEqual([['movie', -2]]);
    expect(record.plays[0]!.rawStart).toBe(-2000);
  });

  it('ffprobe refuses a server whose S2 signature is wrong (so the check above means something)', async () => {
    const probe = await ffprobe(badServer.url('live/movie'), { timeoutMs: 10_000 });
    expect(probe.run.timedOut).toBe(false);
    expect(probe.run.code).not.toBe(0);
    expect(probe.streams).toEqual([]);
    expect(probe.run.stderr).toMatch(/Signature mismatch/);
    expect(handshakeFacts(badServer.handshakes.at(-1))).toMatchObject({ digest: true });
  });

  it('ffmpeg -t 2 -f null - decodes frames', async () => {
    const progress = join(dir, 'progress.txt');
    const run = await runPeer(
      peerPath('ffmpeg'),
      ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-i', server.url('live/movie'), '-t', '2', '-f', 'null', '-', '-progress', progress],
      { timeoutMs: 15_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const frames = [...readFileSync(progress, 'utf8').matchAll(/^frame=(\d+)$/gm)].map((match) => Number(match[1]));
    expect(frames.length).toBeGreaterThan(0);
    expect(Math.max(...frames)).toBeGreaterThanOrEqual(25);
    expect(readFileSync(progress, 'utf8')).toMatch(/^progress=end$/m);
  });

  it('rtmpdump --live writes an FLV that ffprobe reads (stopped by us, as live dumps never end)', async () => {
    const out = join(dir, 'live.flv');
    const known = new Set(server.records);
    const handshakesBefore = server.handshakes.length;
    const rtmpdump = startPeer(peerPath('rtmpdump'), ['--live', '-r', server.url('live/movie'), '-o', out], { timeoutMs: 10_000 });
    peers.push(rtmpdump);
    const record = await server.waitForSession((r) => !known.has(r) && r.plays.length > 0);
    const result = await served.get(record.session)!;
    expect(result).toMatchObject({ completed: true });
    await sleep(300); // the last tags reach rtmpdump; the stream stays open
    expect(rtmpdump.child.exitCode).toBe(null);
    const run = await rtmpdump.stop(); // SIGTERM: rtmpdump closes the file and exits
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toMatch(/Caught signal: 15/);
    expect(run.stderr).not.toMatch(/ERROR: .*(connect|handshake|play)/i);
    // Without -x/-w librtmp sends a plain C1 (zero version bytes): our server answers plainly.
    expect(handshakeFacts(server.handshakes[handshakesBefore])).toMatchObject({ done: true, digest: false, peerVersionBytes: '00000000' });
    expect(record.session.connectInfo.flashVer).toMatch(/^LNX /);
    expect(record.plays[0]).toMatchObject({ name: 'movie', start: -1, rawStart: -1000 });
    const probe = await ffprobe(out, { frames: true });
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(probe.streams.find((stream) => stream.codec_type === 'video')).toMatchObject({ width: 320, height: 240 });
    const summary = summarize(await readFlvTags(out));
    expectH264AacStream(summary, { width: 320, height: 240, spanMs: [4500, 5500], minKeyframes: 5 });
  });

  it('rtmpdump with -x/-w does the digest handshake, verifies our signature, and stops on NetStream.Play.Stop', async () => {
    const out = join(dir, 'digest.flv');
    const before = server.handshakes.length;
    const run = await runPeer(
      'timeout',
      ['8', peerPath('rtmpdump'), '--live', '-r', server.url('live/movie-end'), '-x', '1000', '-w', ZERO_SWF_HASH, '-o', out],
      { timeoutMs: 12_000 },
    );
    expect(run.stderr).not.toMatch(/not genuine/i);
    expect(run.stderr).toMatch(/Download complete/);
    expect(run.code, run.stderr).toBe(0); // ended by itself, before the timeout
    expect(handshakeFacts(server.handshakes[before])).toMatchObject({
      done: true,
      digest: true,
      peerLayout: 'digest-first',
      responseMatch: 'signature',
    });
    const summary = summarize(await readFlvTags(out));
    expectH264AacStream(summary, { width: 320, height: 240, spanMs: [4500, 5500], minKeyframes: 5 });
    // Every tag arrived: librtmp drops video messages of 5 bytes or less (the file's AVC end of sequence).
    expect(summary.videoCount).toBe(tags.filter((tag) => tag.type === 9 && tag.payload.length > 5).length);
    expect(summary.audioCount).toBe(tags.filter((tag) => tag.type === 8).length);
  });

  it('rtmpdump with -x/-w refuses a server whose S2 signature is wrong', async () => {
    const run = await runPeer(
      'timeout',
      ['8', peerPath('rtmpdump'), '--live', '-r', badServer.url('live/movie'), '-x', '1000', '-w', ZERO_SWF_HASH, '-o', join(dir, 'bad.flv')],
      { timeoutMs: 12_000 },
    );
    expect(run.stderr).toMatch(/not genuine/i);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBe(124);
  });

  it('ffprobe and rtmpdump read timestamps that cross 0xFFFFFF (extended timestamps on continuation chunks too)', async () => {
    const probe = await ffprobe(server.url('live/movie-late'), { frames: true, readSeconds: 2 });
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.run.stderr).toBe('');
    expect(probe.frames.filter((frame) => frame.media_type === 'video').length).toBeGreaterThanOrEqual(25);
    expect(probe.frames.filter((frame) => frame.media_type === 'video' && frame.key_frame === 1).length).toBeGreaterThanOrEqual(2);

    const out = join(dir, 'late.flv');
    const run = await runPeer('timeout', ['8', peerPath('rtmpdump'), '--live', '-r', server.url('live/movie-late'), '-o', out], { timeoutMs: 12_000 });
    expect(run.code, run.stderr).toBe(0);
    const dumped = (await readFlvTags(out)).filter((tag) => tag.type === 8 || tag.type === 9);
    expect(dumped.length).toBe(tags.filter((tag) => tag.type === 8 || (tag.type === 9 && tag.payload.length > 5)).length);
    const summary = summarize(dumped);
    expect(summary.backwards).toEqual([]);
    expect(Math.min(...dumped.map((tag) => tag.timestamp))).toBe(LATE_OFFSET);
    // Keyframes past 2^24 ms (more than one 4096-byte chunk each) came through whole.
    const lateKeyframes = dumped.filter((tag) => tag.type === 9 && tag.timestamp > 0xffffff && (tag.payload[0]! >> 4) === 1 && tag.payload[1] === 1);
    expect(lateKeyframes.length).toBeGreaterThanOrEqual(3);
    expect(lateKeyframes.every((tag) => tag.payload.length > 4096)).toBe(true);
    const original = tags.filter((tag) => tag.type === 9 && (tag.payload[0]! >> 4) === 1 && tag.payload[1] === 1);
    for (const tag of lateKeyframes) {
      const source = original.find((candidate) => candidate.timestamp + LATE_OFFSET === tag.timestamp);
      expect(source && Buffer.compare(source.payload, tag.payload)).toBe(0);
    }
  });

  it('ffmpeg answers our pings, which keep a player (that sends nothing else) past a short idle timeout', async () => {
    const progress = join(dir, 'ping-progress.txt');
    const run = await runPeer(
      peerPath('ffmpeg'),
      ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-i', pingServer.url('live/movie'), '-t', '2.5', '-f', 'null', '-', '-progress', progress],
      { timeoutMs: 15_000 },
    );
    // (ffmpeg exits 0 even when its input fails half-way, so the frame count is what tells.)
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const frames = Math.max(...[...readFileSync(progress, 'utf8').matchAll(/^frame=(\d+)$/gm)].map((match) => Number(match[1])));
    expect(frames).toBeGreaterThanOrEqual(50); // 2.5 s at 25 fps; without the pings it stops at 1 s
    const { session } = pingServer.records.at(-1)!;
    await session.closed;
    expect(session.closeError?.name).not.toBe('TimeoutError');
  });
});
