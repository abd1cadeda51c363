import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AmfValue, NetStream, StatusInfo } from '@rtmpkit/core';
import { indexFlvFile } from '@rtmpkit/flv';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer } from '../src/vod/pacer.js';
import { bareFlvName, mediaFilePath } from '../src/vod/media-path.js';
import { VodPlayback, type VodFile } from '../src/vod/vod-playback.js';
import { isKeyframePayload, isVideoHeaderPayload } from './helpers/synthetic.js';
import { until } from './helpers/test-server.js';

/** What a fake player stream was sent, in order. */
type Sent =
  | { kind: 'media'; type: number; timestamp: number; payload: Buffer }
  | { kind: 'data'; name: string; values: AmfValue[] }
  | { kind: 'status'; info: StatusInfo }
  | { kind: 'eof' };

/** A server-side NetStream that records what the playback sends. */
function fakeStream(): { stream: NetStream; sent: Sent[] } {
  const sent: Sent[] = [];
  const session = { sendUserControl: () => sent.push({ kind: 'eof' }) > 0, writableNeedDrain: false };
  const stream = {
    id: 1,
    mode: 'playing',
    session,
    send: async (m: { type: number; timestamp: number; payload: Buffer }) => void sent.push({ kind: 'media', type: m.type, timestamp: m.timestamp, payload: m.payload }),
    sendData: async (name: string, values: AmfValue[]) => void sent.push({ kind: 'data', name, values }),
    sendMetadata: async (metadata: Record<string, AmfValue>) => void sent.push({ kind: 'data', name: 'onMetaData', values: [metadata] }),
    sendStatus: async (info: StatusInfo) => void sent.push({ kind: 'status', info }),
    close: async () => {},
  };
  return { stream: stream as unknown as NetStream, sent };
}

describe('vod: names to files', () => {
  it('maps app and name under the media folder, and refuses every way out', () => {
    expect(mediaFilePath('/srv/media', 'vod', 'talk')).toBe('/srv/media/vod/talk.flv');
    expect(mediaFilePath('/srv/media', 'vod', 'a/b/talk')).toBe('/srv/media/vod/a/b/talk.flv');
    expect(bareFlvName('flv:talk.flv')).toBe('talk');
    expect(bareFlvName('mp4:talk.mp4')).toBeUndefined();
    const bad = ['..', '../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/', '.x', 'a/.x', 'a\u0000b', 'a\\b', 'c:x', 'a\nb', '', 'x'.repeat(256), Array(17).fill('a').join('/')];
    for (const name of bad) expect(mediaFilePath('/srv/media', 'vod', name), JSON.stringify(name)).toBeUndefined();
    for (const app of ['..', 'vod/..', '/abs', '.']) expect(mediaFilePath('/srv/media', app, 'talk'), app).toBeUndefined();
  });
});

describe('vod: pacing', () => {
  it('sends the first leadMs at once, then keeps leadMs ahead of the clock', () => {
    let now = 1000;
    const pacer = new Pacer(500, () => now);
    expect(pacer.delay(0)).toBe(0);
    expect(pacer.delay(500)).toBe(0);
    expect(pacer.delay(1500)).toBe(1000);
    now += 1000;
    expect(pacer.delay(1500)).toBe(0);
    expect(pacer.delay(2000)).toBe(500);
    expect(pacer.delay(100)).toBe(0); // backwards: a new anchor
    pacer.reset();
    expect(pacer.delay(90_000)).toBe(0);
    expect(new Pacer(Infinity, () => now).delay(1e9)).toBe(0);
  });
});

describeWithPeers('vod: play2 bitrate switching (the handle, driven directly)', ['ffmpeg'], () => {
  let dir: string;
  let low: VodFile;
  let high: VodFile;

  beforeAll(async () => {
    const [lowFile, highFile] = await Promise.all([makeTestFlv({ seconds: 5 }), makeTestFlv({ seconds: 5, width: 640, height: 360 })]);
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-vod-play2-'));
    mkdirSync(join(dir, 'vod'));
    copyFileSync(lowFile, join(dir, 'vod', 'low.flv'));
    copyFileSync(highFile, join(dir, 'vod', 'high.flv'));
    low = { name: 'low', path: join(dir, 'vod', 'low.flv'), index: await indexFlvFile(lowFile) };
    high = { name: 'high', path: join(dir, 'vod', 'high.flv'), index: await indexFlvFile(highFile) };
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const playback = (stream: NetStream, leadMs = 200) =>
    new VodPlayback({
      stream,
      file: low,
      start: 0,
      duration: -1,
      leadMs,
      maxTagSize: 0xffffff,
      openRendition: async (name) => {
        if (name === 'high') return high;
        throw Object.assign(new Error(`${name} was not found.`), { statusCode: 'NetStream.Play.StreamNotFound' });
      },
      log: pino({ level: 'silent' }),
      onStop: () => {},
    });

  it("switch: the other file from its first key frame after the position reached, with TransitionComplete", async () => {
    const { stream, sent } = fakeStream();
    const play = playback(stream);
    play.start();
    const media = () => sent.filter((s): s is Extract<Sent, { kind: 'media' }> => s.kind === 'media');
    await until(() => media().some((m) => m.timestamp >= 1100), 'a second of the low rendition');
    await play.play2({ streamName: 'high', oldStreamName: 'low', transition: 'switch' });
    const position = Math.max(...media().filter((m) => m.type === 8 || m.type === 9).map((m) => m.timestamp));
    await until(() => sent.some((s) => s.kind === 'data' && s.name === 'onPlayStatus'), 'the switch', 5000);
    const at = sent.findIndex((s) => s.kind === 'data' && s.name === 'onPlayStatus');
    expect((sent[at] as Extract<Sent, { kind: 'data' }>).values[0]).toMatchObject({ code: 'NetStream.Play.TransitionComplete', details: 'high' });
    await until(() => sent.slice(at).filter((s) => s.kind === 'media').length > 10, 'media of the high rendition');
    play.stop();
    const before = sent.slice(0, at).filter((s): s is Extract<Sent, { kind: 'media' }> => s.kind === 'media' && s.type === 9);
    const after = sent.slice(at).filter((s): s is Extract<Sent, { kind: 'media' }> => s.kind === 'media' && s.type === 9);
    // The high rendition's decoder configuration, then its key frame at or after the position.
    expect(isVideoHeaderPayload(after[0]!.payload)).toBe(true);
    expect(after[0]!.payload.equals(high.index.videoSequenceHeader!.payload)).toBe(true);
    expect(isKeyframePayload(after[1]!.payload)).toBe(true);
    const key = high.index.keyframes.find((frame) => frame.timestamp > position)!;
    expect(after[1]!.timestamp).toBe(key.timestamp);
    // No gap and no overlap: the low rendition went on until just before that key frame.
    expect(before.at(-1)!.timestamp).toBe(key.timestamp - 40);
  });

  it('refuses a missing rendition and transitions other than switch/swap', async () => {
    const { stream } = fakeStream();
    const play = playback(stream);
    await expect(play.play2({ streamName: 'nope', transition: 'switch' })).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
    await expect(play.play2({ streamName: 'high', transition: 'stop' })).rejects.toMatchObject({ statusCode: 'NetStream.Play.Failed' });
    play.stop();
  });

  it('ends with StreamEOF, onPlayStatus Play.Complete and Play.Stop, in that order, after the last tag', async () => {
    const { stream, sent } = fakeStream();
    const play = playback(stream, Infinity);
    play.start();
    await until(() => sent.some((s) => s.kind === 'status'), 'the end', 5000);
    const tail = sent.slice(-3);
    expect(tail[0]).toEqual({ kind: 'eof' });
    expect(tail[1]).toMatchObject({ kind: 'data', name: 'onPlayStatus', values: [{ code: 'NetStream.Play.Complete', level: 'status' }] });
    expect(tail[2]).toMatchObject({ kind: 'status', info: { code: 'NetStream.Play.Stop' } });
    // Every tag but the file's own onMetaData (ours went first, with the duration).
    expect(sent.filter((s) => s.kind === 'media').length).toBe(low.index.tagCount - 1);
  });

  it('seek and unpause: nothing of the new stretch goes out before the session sent its Notify (when the handler resolved)', async () => {
    const { stream, sent } = fakeStream();
    const play = playback(stream);
    play.start();
    const media = () => sent.filter((s) => s.kind === 'media').length;
    await until(() => media() > 20, 'some media');
    // What the session does: await the handler, then send the Notify status.
    const answer = async (request: Promise<void>, code: string) => {
      await request;
      sent.push({ kind: 'status', info: { level: 'status', code } });
    };
    await answer(play.seek(3000), 'NetStream.Seek.Notify');
    await until(() => sent.findIndex((s) => s.kind === 'status') < sent.length - 3, 'media after the seek');
    const notify = sent.findIndex((s) => s.kind === 'status');
    const header = sent.findIndex((s, i) => i > notify && s.kind === 'media' && s.type === 9 && isVideoHeaderPayload(s.payload));
    expect(header).toBe(notify + 1); // the new stretch starts right after the Notify
    await answer(play.pause(true, 3200), 'NetStream.Pause.Notify');
    const pausedAt = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent.length).toBe(pausedAt);
    await answer(play.pause(false, 3200), 'NetStream.Unpause.Notify');
    await until(() => sent.length > pausedAt + 3, 'media after unpause');
    const resumed = sent.slice(pausedAt + 1).filter((s): s is Extract<Sent, { kind: 'media' }> => s.kind === 'media');
    expect(sent[pausedAt]).toMatchObject({ kind: 'status', info: { code: 'NetStream.Unpause.Notify' } });
    expect(resumed.every((m) => m.timestamp > 3200)).toBe(true);
    play.stop();
  });
});
