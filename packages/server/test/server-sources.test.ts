import { StreamRejectedError } from '@rtmpkit/core';
import { rtmp } from '@rtmpkit/rtmp';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlaybackHandle, PlaySource, PlaySourceRequest } from '../src/index.js';
import { play, publish, sendFrames, type Player } from './helpers/clients.js';
import { frameIndexOf, isKeyframePayload, syntheticStream, videoFrame } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
const cleanup: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0)) await step().catch(() => {});
  await server?.close();
  server = undefined;
});

/** A source that serves `clip` as a recorded stream of three frames and records what it is asked. */
function fakeVod() {
  const asked: PlaySourceRequest[] = [];
  const calls: string[] = [];
  const source: PlaySource = {
    name: 'fake-vod',
    open(request) {
      asked.push(request);
      if (request.name === 'forbidden') throw new StreamRejectedError('NetStream.Play.Failed', 'Not for you.');
      if (request.name !== 'clip') return undefined;
      const handle: PlaybackHandle = {
        start() {
          calls.push('start');
          void (async () => {
            for (let i = 0; i < 3; i++) await request.stream.send(videoFrame(i * 40, i === 0, 10, i));
          })();
        },
        pause(paused, position) {
          calls.push(`pause:${paused}:${position}`);
        },
        seek(position) {
          calls.push(`seek:${position}`);
        },
        stop() {
          calls.push('stop');
        },
      };
      return handle;
    },
    streamLength: (app, name) => (app === 'vod' && name === 'clip' ? 12.5 : undefined),
  };
  return { source, asked, calls };
}

describe('play sources (the hook for plays that are not live)', () => {
  it('serve recorded plays: start, pause, seek and stop reach the handle', async () => {
    const vod = fakeVod();
    server = await startTestServer({ sources: [vod.source] });
    const player: Player = await play(server.url('vod'), 'clip', { start: 0 });
    cleanup.push(() => player.close());
    await player.waitFor((p) => p.video().length === 3, 'the clip');
    expect(player.video().map((m) => frameIndexOf(m.payload))).toEqual([0, 1, 2]);
    expect(vod.asked[0]).toMatchObject({ app: 'vod', name: 'clip', start: 0, live: false });
    await player.stream.pause(true, 40);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Pause.Notify'), 'Pause.Notify');
    await player.stream.seek(1000);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Seek.Notify'), 'Seek.Notify');
    expect(server.server.sessions()[0]!.playing).toMatchObject([{ name: 'clip', source: 'fake-vod' }]);
    await player.close();
    await until(() => vod.calls.includes('stop'), 'stop');
    expect(vod.calls).toEqual(['start', 'pause:true:40', 'seek:1000', 'stop']);
  });

  it('are asked for live plays nobody publishes; if none serves, the player waits for a publisher', async () => {
    const vod = fakeVod();
    server = await startTestServer({ sources: [vod.source] });
    const waiting = await play(server.url('live'), 'later');
    cleanup.push(() => waiting.close());
    expect(vod.asked.map((r) => [r.name, r.start, r.live])).toEqual([['later', -2, false]]);
    const publisher = await publish(server.url('live'), 'later');
    cleanup.push(() => publisher.session.close());
    await sendFrames(publisher.stream, syntheticStream({ frames: 2 }), Infinity);
    await waiting.waitFor((p) => p.video().some((m) => isKeyframePayload(m.payload)), 'live frames');
    // A live name is served live: the sources are not asked.
    const live = await play(server.url('live'), 'later');
    cleanup.push(() => live.close());
    expect(vod.asked).toHaveLength(1);
  });

  it('can refuse with a status code, and answer getStreamLength', async () => {
    const vod = fakeVod();
    server = await startTestServer();
    const remove = server.server.addPlaySource(vod.source);
    await expect(play(server.url('vod'), 'forbidden', { start: 0 })).rejects.toMatchObject({ statusCode: 'NetStream.Play.Failed', description: 'Not for you.' });
    const session = await rtmp().connect(server.url('vod'));
    cleanup.push(() => session.close());
    expect((await session.call('getStreamLength', ['clip'])).args).toEqual([12.5]);
    expect((await session.call('getStreamLength', ['other'])).args).toEqual([0]);
    remove();
    await expect(play(server.url('vod'), 'clip', { start: 0 })).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
  });
});

describe('pause on a live stream', () => {
  it('stops the media while paused and resumes on a keyframe', async () => {
    server = await startTestServer();
    const publisher = await publish(server.url('live'), 'a');
    const player = await play(server.url('live'), 'a');
    cleanup.push(() => publisher.session.close(), () => player.close());
    const frames = syntheticStream({ frames: 75, gop: 25, audio: false }); // metadata, header, frames 0-74
    const upTo = (frame: number) => 2 + frame; // index in `frames` just after frame `frame - 1`
    await sendFrames(publisher.stream, frames.slice(0, upTo(10)), Infinity);
    await player.waitFor((p) => p.video().length >= 11, 'the header and frames 0-9');
    await player.stream.pause(true, 0);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Pause.Notify'), 'Pause.Notify');
    await sendFrames(publisher.stream, frames.slice(upTo(10), upTo(40)), Infinity); // keyframe at 25: dropped too
    await player.stream.pause(false, 0);
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Unpause.Notify'), 'Unpause.Notify');
    await sendFrames(publisher.stream, frames.slice(upTo(40)), Infinity); // frames 40-74, keyframe at 50
    await player.waitFor((p) => p.video().length >= 11 + 25, 'frames after unpause');
    const after = player.video().slice(11).map((m) => frameIndexOf(m.payload));
    expect(after).toEqual([...Array(25).keys()].map((i) => 50 + i));
  });
});
