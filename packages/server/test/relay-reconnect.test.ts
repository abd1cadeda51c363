import { rtmp } from '@rtmpkit/rtmp';
import { freePort } from '@rtmpkit/test-peers';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type RtmpServer } from '../src/index.js';
import { backoffDelay, resolveBackoff } from '../src/relay/backoff.js';
import { matchesPattern, relay, type Relay } from '../src/relay/index.js';
import { play, publish, sendFrames, type Player, type Publisher } from './helpers/clients.js';
import { isKeyframePayload, isVideoHeaderPayload, syntheticStream } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
});

/** A server on 127.0.0.1:`port` (so it can be stopped and started again at the same address). */
async function serverOn(port: number): Promise<RtmpServer> {
  const server = createServer({ transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port } }], shutdownTimeoutMs: 2000 });
  await server.start();
  cleanup.push(() => server.close());
  return server;
}

/** Publishes synthetic frames in real time (25 fps, a key frame a second) until the session closes. */
function publishForever(publisher: Publisher): void {
  void sendFrames(publisher.stream, syntheticStream({ frames: 25 * 60 }), 1).catch(() => {});
}

async function player(url: string, name: string): Promise<Player> {
  const p = await play(url, name);
  cleanup.push(() => p.close());
  return p;
}

describe('relay rules', () => {
  it('match apps and names exactly, with * globs, RegExps and predicates', () => {
    expect(matchesPattern(undefined, 'x')).toBe(true);
    expect(matchesPattern('cam', 'cam')).toBe(true);
    expect(matchesPattern('cam', 'cam1')).toBe(false);
    expect(matchesPattern('cam*', 'cam1')).toBe(true);
    expect(matchesPattern('*-hd', 'a.b-hd')).toBe(true);
    expect(matchesPattern('a.b', 'axb')).toBe(false); // dots are not wildcards
    expect(matchesPattern(/^c/g, 'cam')).toBe(true);
    expect(matchesPattern(/^c/g, 'cam')).toBe(true); // a global RegExp keeps no state between calls
    expect(matchesPattern((value) => value.length === 3, 'cam')).toBe(true);
  });

  it('back off exponentially, capped, with jitter', () => {
    const options = resolveBackoff({ initialDelayMs: 100, maxDelayMs: 1000 });
    const delays = [1, 2, 3, 4, 5, 6].map((failures) => backoffDelay(failures, options));
    [100, 200, 400, 800, 1000, 1000].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(base * 0.8);
      expect(delays[i]).toBeLessThanOrEqual(base * 1.2);
    });
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow(RangeError);
  });
});

describe('push relay: reconnects when the target drops, stops when the stream ends', () => {
  it('pushes again, from a key frame, after the target server comes back on the same address', async () => {
    const port = await freePort();
    let target = await serverOn(port);
    const relays: Relay = relay({ push: [{ app: 'live', url: `rtmp://127.0.0.1:${port}/live` }], reconnect: { initialDelayMs: 100, maxDelayMs: 300 } });
    const origin: TestServer = await startTestServer({ plugins: [relays] });
    cleanup.push(() => origin.close());
    const publisher = await publish(origin.url('live'), 'cam');
    cleanup.push(() => publisher.session.close());
    publishForever(publisher);

    const first = await player(`rtmp://127.0.0.1:${port}/live`, 'cam');
    await first.waitFor((p) => p.video().some((m) => isKeyframePayload(m.payload)), 'video through the push', 5000);
    expect(isVideoHeaderPayload(first.video()[0]!.payload)).toBe(true);
    expect(isKeyframePayload(first.video()[1]!.payload)).toBe(true);

    await target.close(); // the target goes away…
    await until(() => relays.list()[0]?.state === 'waiting' || relays.list()[0]?.state === 'connecting', 'the relay to notice', 5000);
    target = await serverOn(port); // …and comes back
    const second = await player(`rtmp://127.0.0.1:${port}/live`, 'cam');
    await second.waitFor((p) => p.video().filter((m) => isKeyframePayload(m.payload)).length >= 1, 'video after the reconnection', 8000);
    expect(relays.list()).toMatchObject([{ direction: 'push', state: 'relaying', connections: 2 }]);
    // The target got the metadata and sequence headers again, then video from a key frame.
    expect(second.messages[0]!.type).toBe(18);
    expect(isVideoHeaderPayload(second.video()[0]!.payload)).toBe(true);
    expect(isKeyframePayload(second.video()[1]!.payload)).toBe(true);

    await publisher.session.close(); // the stream ends here: the push stops and unpublishes there
    await until(() => relays.list().length === 0, 'the push to stop');
    await second.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.UnpublishNotify'), 'UnpublishNotify on the target');
    expect(target.streams()).toEqual([]);
  });

  it('gives up after reconnect.maxAttempts failures in a row', async () => {
    const nobody = await freePort();
    const relays = relay({ push: [{ url: `rtmp://127.0.0.1:${nobody}/live` }], reconnect: { initialDelayMs: 50, maxAttempts: 3 } });
    const origin = await startTestServer({ plugins: [relays] });
    cleanup.push(() => origin.close());
    const publisher = await publish(origin.url('live'), 'cam');
    cleanup.push(() => publisher.session.close());
    publishForever(publisher);
    await until(() => relays.list().length === 1, 'the push to start', 2000);
    await until(() => relays.list().length === 0, 'the push to give up', 5000);
    expect(origin.server.streams()[0]).toMatchObject({ name: 'cam', live: true }); // the stream itself goes on
  });
});

describe('pull relay', () => {
  it('pulls from another rtmpkit server on demand, reconnects when it drops, and stops on shutdown', async () => {
    const port = await freePort();
    let remote = await serverOn(port);
    const remotePublisher = async () => {
      const p = await publish(`rtmp://127.0.0.1:${port}/live`, 'src');
      cleanup.push(() => p.session.close());
      publishForever(p);
    };
    await remotePublisher();
    const relays = relay({ pull: [{ app: 'edge', url: `rtmp://127.0.0.1:${port}/live`, streamName: 'src' }], reconnect: { initialDelayMs: 100, maxDelayMs: 300 }, graceMs: 60_000 });
    const edge = await startTestServer({ plugins: [relays] });
    cleanup.push(() => edge.close());
    const viewer = await player(edge.url('edge'), 'anything');
    await viewer.waitFor((p) => p.video().some((m) => isKeyframePayload(m.payload)), 'pulled video', 5000);
    expect(relays.list()).toMatchObject([{ direction: 'pull', app: 'edge', name: 'anything', streamName: 'src', connections: 1 }]);

    await remote.close();
    await viewer.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.UnpublishNotify'), 'UnpublishNotify when the remote dropped', 5000);
    remote = await serverOn(port);
    await remotePublisher();
    const notified = (p: Player) => p.statuses.filter((s) => s.code === 'NetStream.Play.PublishNotify').length;
    expect(notified(viewer)).toBe(1);
    const before = viewer.video().length;
    await viewer.waitFor((p) => notified(p) === 2, 'PublishNotify after the reconnection', 8000);
    await viewer.waitFor((p) => p.video().slice(before).some((m) => isKeyframePayload(m.payload)), 'video after the reconnection', 5000);
    await until(() => relays.list()[0]?.connections === 2, 'the second remote play');

    await edge.close();
    expect(relays.list()).toEqual([]);
    await until(() => remote.sessions().every((s) => s.playing.length === 0), 'the remote play to end', 3000);
  });
});
