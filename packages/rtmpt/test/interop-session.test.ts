import { relayHandler } from '@rtmpkit/compliance';
import { MessageType, type IncomingSession, type Listener, type RtmpMessage, type Session } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv, peerPath, runPeer, startPeer, type RunningPeer } from '@rtmpkit/test-peers';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { rtmpt } from '../src/index.js';

let listener: Listener | undefined;
const peers: RunningPeer[] = [];
const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.stop()));
  await Promise.all(sessions.splice(0).map((session) => session.close().catch(() => {})));
  await listener?.close();
  listener = undefined;
});

/** Serves every incoming session with `handler` until the listener closes. */
function serve(on: Listener, handler: (incoming: IncomingSession) => Promise<Session>): void {
  void (async () => {
    for await (const incoming of on) {
      handler(incoming).then((session) => sessions.push(session), () => {});
    }
  })();
}

describeWithPeers('interop: real RTMP sessions through the tunnel', ['ffmpeg', 'rtmpdump'], () => {
  it('ffmpeg publishes a 5 s file over rtmpt:// at real time; every message arrives', async () => {
    const file = await makeTestFlv({ seconds: 5 });
    listener = await rtmpt().listen({ host: '127.0.0.1', port: 0 });
    const received: RtmpMessage[] = [];
    let published!: () => void;
    const done = new Promise<void>((resolve) => (published = resolve));
    serve(listener, async (incoming) => {
      expect(incoming.scheme).toBe('rtmpt');
      expect(incoming.connectInfo.tcUrl).toBe(`rtmpt://127.0.0.1:${listener!.address.port}/live`);
      const session = await incoming.accept();
      session.onStreamRequest({
        publish({ stream }) {
          void (async () => {
            for await (const message of stream) received.push(message);
            published();
          })();
        },
      });
      return session;
    });
    const started = Date.now();
    const result = await runPeer(
      peerPath('ffmpeg'),
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-i', file, '-c', 'copy', '-f', 'flv', `rtmpt://127.0.0.1:${listener.address.port}/live/feed`],
      { timeoutMs: 30_000 },
    );
    const elapsed = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    await done;
    const video = received.filter((message) => message.type === MessageType.Video);
    const audio = received.filter((message) => message.type === MessageType.Audio);
    // 5 s at 25 fps and AAC frames of 1024 samples at 44.1 kHz, plus sequence headers.
    expect(video.length).toBeGreaterThanOrEqual(125);
    expect(audio.length).toBeGreaterThanOrEqual(210);
    expect(video.at(-1)!.timestamp).toBeGreaterThanOrEqual(4800);
    // -re paces at real time: the tunnel must keep up, not stretch it.
    expect(elapsed).toBeLessThan(9000);
  });

  it('ffmpeg and rtmpdump play over rtmpt:// what ffmpeg publishes over rtmpt://', async () => {
    const file = await makeTestFlv({ seconds: 12 });
    listener = await rtmpt().listen({ host: '127.0.0.1', port: 0 });
    serve(listener, relayHandler());
    const base = `rtmpt://127.0.0.1:${listener.address.port}/live`;
    const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-rtmpt-play-'));
    try {
      const progress = join(dir, 'progress.txt');
      const dump = join(dir, 'dump.flv');
      // The relay keeps no sequence headers: players come first and wait for the publisher.
      const player = startPeer(peerPath('ffmpeg'), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', `${base}/show`, '-t', '3', '-f', 'null', '-', '-progress', progress], { timeoutMs: 25_000 });
      const dumper = startPeer('/usr/bin/timeout', ['8', peerPath('rtmpdump'), '-q', '--live', '-r', `${base}/show`, '-o', dump], { timeoutMs: 25_000 });
      peers.push(player, dumper);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      peers.push(startPeer(peerPath('ffmpeg'), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-i', file, '-c', 'copy', '-f', 'flv', `${base}/show`], { timeoutMs: 30_000 }));
      const [played, dumped] = await Promise.all([player.done, dumper.done]);
      expect(played.code, played.stderr).toBe(0);
      const frames = Math.max(...[...readFileSync(progress, 'utf8').matchAll(/^frame=(\d+)$/gm)].map((match) => Number(match[1])));
      expect(frames).toBeGreaterThanOrEqual(50);
      // rtmpdump is ended by timeout (124): what counts is the FLV it wrote.
      expect(dumped.code, dumped.stderr).toBe(124);
      expect(existsSync(dump)).toBe(true);
      expect(statSync(dump).size).toBeGreaterThan(50_000);
      expect(readFileSync(dump).subarray(0, 3).toString('latin1')).toBe('FLV');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
