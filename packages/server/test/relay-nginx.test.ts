import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithPeers, makeTestFlv, startNginxRtmp, type NginxRtmp, type RunningPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { relay, type Relay } from '../src/relay/index.js';
import { play } from './helpers/clients.js';
import { isKeyframePayload, isVideoHeaderPayload } from './helpers/synthetic.js';
import { ffmpegDecode, ffmpegPublish, ffprobe } from './helpers/peers.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

describeWithPeers('relay interop with nginx-rtmp: push to it, pull from it', ['ffmpeg', 'ffprobe', 'nginx', 'nginx-rtmp'], () => {
  let nginx: NginxRtmp;
  let server: TestServer;
  let relays: Relay;
  let dir: string;
  let clip: string;
  const publishers: RunningPeer[] = [];

  beforeAll(async () => {
    clip = await makeTestFlv({ seconds: 5 });
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-relay-'));
    nginx = await startNginxRtmp();
    const nginxLive = `rtmp://127.0.0.1:${nginx.port}/live`;
    relays = relay({
      push: [{ app: 'live', name: 'out-*', url: nginxLive, streamName: ({ name }) => name.replace(/^out-/, 'pushed-') }],
      pull: [{ app: 'edge', name: 'remote*', url: nginxLive }],
      graceMs: 1000,
      reconnect: { initialDelayMs: 200 },
    });
    server = await startTestServer({ plugins: [relays] });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(publishers.map((peer) => peer.stop()));
    await server?.close();
    await nginx?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('push: ffmpeg publishes to us, the relay publishes to nginx, ffprobe reads it from nginx', async () => {
    publishers.push(ffmpegPublish(clip, server.url('live/out-cam'), { loop: true, timeoutMs: 60_000 }));
    await until(() => relays.list().some((r) => r.direction === 'push' && r.state === 'relaying'), 'the push to nginx', 10_000);
    expect(relays.list()[0]).toMatchObject({ direction: 'push', app: 'live', name: 'out-cam', streamName: 'pushed-cam', connections: 1 });
    const probe = await ffprobe(`rtmp://127.0.0.1:${nginx.port}/live/pushed-cam`);
    expect(probe.run.code, `${probe.run.stderr}\n${nginx.log()}`).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    // nginx keeps no GOP: a player starts at the next key frame (up to 1 s), its audio earlier.
    const { run, frames } = await ffmpegDecode(`rtmp://127.0.0.1:${nginx.port}/live/pushed-cam`, 3, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(frames).toBeGreaterThanOrEqual(40);
    // The stream ends here: the push stops and unpublishes from nginx.
    await publishers.pop()!.stop();
    await until(() => relays.list().length === 0, 'the push to stop', 10_000);
  }, 45_000);

  it('pull: ffmpeg publishes to nginx, a player here gets it through the relay; the pull stops after the grace period', async () => {
    publishers.push(ffmpegPublish(clip, `rtmp://127.0.0.1:${nginx.port}/live/remote1`, { loop: true, timeoutMs: 60_000 }));
    await new Promise((resolve) => setTimeout(resolve, 500)); // nginx has the publisher
    const probe = await ffprobe(server.url('edge/remote1'));
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    const { run, frames } = await ffmpegDecode(server.url('edge/remote1'), 2, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(frames).toBeGreaterThanOrEqual(40);
    // Both players came and went through one pull; nobody watches now: it stops after graceMs.
    expect(relays.list()).toMatchObject([{ direction: 'pull', app: 'edge', name: 'remote1', streamName: 'remote1', url: `rtmp://127.0.0.1:${nginx.port}/live` }]);
    await until(() => relays.list().length === 0, 'the pull to stop', 5000);
    expect(server.server.streams().some((s) => s.name === 'remote1')).toBe(false);
  }, 45_000);

  it('pull: two players share one remote play, each starting on a key frame; a name no rule covers is not pulled', async () => {
    publishers.push(ffmpegPublish(clip, `rtmp://127.0.0.1:${nginx.port}/live/remote2`, { loop: true, timeoutMs: 60_000 }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const players = await Promise.all([play(server.url('edge'), 'remote2'), play(server.url('edge'), 'remote2')]);
    try {
      for (const player of players) {
        await player.waitFor((p) => p.video().filter((m) => isKeyframePayload(m.payload)).length >= 2, 'two key frames', 10_000);
        const video = player.video();
        expect(isVideoHeaderPayload(video[0]!.payload)).toBe(true);
        expect(isKeyframePayload(video[1]!.payload)).toBe(true);
        // No audio ran ahead of the first key frame.
        const firstAudio = player.messages.find((m) => m.type === 8 && m.payload[1] === 1);
        expect(firstAudio!.timestamp).toBeGreaterThanOrEqual(video[1]!.timestamp - 50);
      }
      expect(relays.list()).toMatchObject([{ direction: 'pull', name: 'remote2', state: 'relaying', connections: 1 }]);
      const other = await play(server.url('live'), 'remote2'); // app 'live' is not covered
      players.push(other);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(relays.list()).toHaveLength(1);
      expect(other.video()).toEqual([]);
    } finally {
      await Promise.all(players.map((player) => player.close()));
    }
    await until(() => relays.list().length === 0, 'the pull to stop', 5000);
  }, 45_000);
});
