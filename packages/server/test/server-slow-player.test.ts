import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEventMap } from '../src/index.js';
import { play, publish, sendFrames, type Player, type Publisher } from './helpers/clients.js';
import { RawPlayer } from './helpers/raw-player.js';
import { frameIndexOf, syntheticStream } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
  await server?.close();
  server = undefined;
});

const PLAYER_LIMITS = { maxBytes: 512 * 1024, maxDelayMs: 2000, disconnectBytes: 4 * 1024 * 1024, disconnectAfterMs: 3000 };

describe('a slow player', () => {
  it('has non-key frames dropped, is disconnected past the hard limit; the publisher and a real-time player are not affected', async () => {
    server = await startTestServer({ player: PLAYER_LIMITS, live: { gopCache: { maxBytes: 256 * 1024 } } });
    const slowEvents: Array<ServerEventMap['slowPlayer']> = [];
    server.server.on('slowPlayer', (event) => slowEvents.push(event));

    const publisher: Publisher = await publish(server.url('live'), 'big');
    cleanup.push(() => publisher.session.close());
    const fast: Player = await play(server.url('live'), 'big');
    cleanup.push(() => fast.close());
    const slow = await RawPlayer.play(server.port, 'live', 'big');
    cleanup.push(() => slow.destroy());

    // ~2.2 MB/s for 12 s: 25 fps, 80 kB frames, a 200 kB keyframe every second.
    const frames = syntheticStream({ frames: 300, fps: 25, gop: 25, frameBytes: 80_000, keyframeBytes: 200_000, audio: true });
    const videoSent = frames.filter((frame) => frame.type === 9).length;
    const sentAt = new Map<number, number>();
    const publishing = (async () => {
      const started = Date.now();
      const step = 1000 / 25;
      let index = 0;
      for (const frame of frames) {
        if (frame.type === 9 && frame.payload[1] === 1) sentAt.set(index++, started + frame.timestamp);
      }
      await sendFrames(publisher.stream, frames, 1);
      return { started, tookMs: Date.now() - started, expectedMs: (300 - 1) * step };
    })();

    // The slow player reads the start, then stops reading altogether.
    await slow.waitFor(() => slow.videoCount >= 5, 5000);
    slow.stopReading();

    await until(() => slowEvents.length > 0, 'the slow player to be disconnected', 25_000);
    const slowId = slowEvents[0]!.sessionId;
    // The server closes it in order (bounded by the session's close timeout); the raw socket,
    // paused, would never notice on its own.
    await until(() => !server!.server.sessions().some((session) => session.id === slowId), 'the slow session to close', 10_000);
    slow.destroy();
    const publishResult = await publishing;

    // The slow one was behind, had frames dropped, and its queue stayed within the limit
    // (plus the one message that crossed it).
    const [event] = slowEvents;
    expect(event).toMatchObject({ app: 'live', name: 'big' });
    expect(event!.stats.dropped).toBeGreaterThan(0);
    expect(event!.stats.peakQueuedBytes).toBeLessThanOrEqual(PLAYER_LIMITS.maxBytes + 200_010);
    expect(server.server.stats().counters.slowPlayers).toBe(1);

    // The publisher was never held back: it sent in real time and is still connected.
    expect(publishResult.tookMs).toBeLessThan(publishResult.expectedMs + 3000);
    expect(publisher.session.state).toBe('connected');

    // The real-time player got every frame, in order, nothing dropped, and still plays.
    await fast.waitFor((p) => p.video().length >= videoSent, 'every frame at the fast player', 10_000);
    const inter = fast.video().filter((message) => message.payload[1] === 1);
    expect(inter.map((message) => frameIndexOf(message.payload))).toEqual([...Array(300).keys()].map((i) => i & 0xff));
    const fastSession = server.server.sessions().find((session) => session.id !== event!.sessionId && session.playing.length > 0)!;
    expect(fastSession.playing[0]).toMatchObject({ dropped: 0 });
    expect(fast.session.state).toBe('connected');
    // It kept up with real time (a generous bound: this is a correctness check, not a benchmark).
    const lags = inter.map((message, index) => message.at - sentAt.get(index)!);
    expect(Math.max(...lags)).toBeLessThan(2000);
  }, 40_000);

  it('that reads, but slower than the stream, resumes on a keyframe after every gap and stays connected', async () => {
    server = await startTestServer({ player: { ...PLAYER_LIMITS, maxDelayMs: 1000 }, live: { gopCache: false } });
    const publisher = await publish(server.url('live'), 'big');
    cleanup.push(() => publisher.session.close());
    const lagging = await RawPlayer.play(server.port, 'live', 'big');
    cleanup.push(() => lagging.destroy());
    const frames = syntheticStream({ frames: 200, fps: 25, gop: 25, frameBytes: 80_000, keyframeBytes: 200_000, audio: false });
    const publishing = sendFrames(publisher.stream, frames, 1);
    await lagging.waitFor(() => lagging.frames.length >= 3, 5000);
    lagging.readAtMost(300_000); // a seventh of the stream's rate
    await publishing;
    lagging.readAtMost(100_000_000); // catches up
    // Until it has read everything the server still had for it (nothing new for half a second).
    let seen = -1;
    let stableSince = Date.now();
    await until(() => {
      if (lagging.frames.length !== seen) {
        seen = lagging.frames.length;
        stableSince = Date.now();
      }
      return Date.now() - stableSince > 500;
    }, 'the player to catch up', 15_000);
    const session = server.server.sessions().find((s) => s.playing.length > 0)!;
    expect(session.playing[0]!.dropped).toBeGreaterThan(0);
    expect(server.server.stats().counters.slowPlayers).toBe(0);
    // It did not get everything, and after each gap the next frame is a keyframe (every 25th frame).
    const got = lagging.frames;
    expect(got.length).toBeLessThan(200);
    expect(got[0]!.keyframe).toBe(true);
    let gaps = 0;
    for (let i = 1; i < got.length; i++) {
      if (got[i]!.index !== ((got[i - 1]!.index + 1) & 0xff)) {
        gaps++;
        expect(got[i]!.keyframe, `frame ${got[i]!.index} after ${got[i - 1]!.index}`).toBe(true);
      }
    }
    expect(gaps).toBeGreaterThan(0);
    expect(got.every((frame) => frame.keyframe === (frame.index % 25 === 0))).toBe(true);
  }, 30_000);
});
