import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingSession, Listener } from '@rtmpkit/core';
import { describeWithPeers, peerPath, runPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rtmpe } from '../src/index.js';
import { readFlvTags } from './helpers/flv-tags.js';

/** Recognizable media: AAC raw frames and AVC NALU keyframes, each longer than 5 bytes (librtmp drops shorter video). */
function media(count: number) {
  const out: { type: 8 | 9; timestamp: number; payload: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.from(`rtmpe frame ${i} `.repeat(20 + i));
    out.push({ type: 8, timestamp: i * 40, payload: Buffer.concat([Buffer.of(0xaf, 0x01), body]) });
    out.push({ type: 9, timestamp: i * 40, payload: Buffer.concat([Buffer.of(0x17, 0x01, 0, 0, 0), body]) });
  }
  return out;
}

describeWithPeers('the rtmpe() transport with rtmpdump as the player', ['rtmpdump'], () => {
  const frames = media(12);
  let listener: Listener;
  let dir: string;
  const seen: IncomingSession[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-rtmpe-'));
    listener = await rtmpe().listen({ host: '127.0.0.1', port: 0 });
    void (async () => {
      for await (const incoming of listener) {
        seen.push(incoming);
        const session = await incoming.accept();
        session.onStreamRequest({
          play({ stream }) {
            // After the handler returns the session sends Play.Start; the media follows it.
            setImmediate(async () => {
              await stream.sendMetadata({ duration: 0, audiocodecid: 10, videocodecid: 7 });
              for (const frame of frames) await stream.send(frame);
              await stream.sendStatus({ level: 'status', code: 'NetStream.Play.Stop', description: 'done' });
            });
          },
        });
      }
    })();
  });

  afterAll(async () => {
    await listener?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rtmpdump connects over RTMPE (type 8), plays, and writes every frame we sent through RC4', async () => {
    const out = join(dir, 'play.flv');
    const tcUrl = `rtmpe://127.0.0.1:${listener.address.port}/live`;
    const url = `${tcUrl}/movie`;
    const run = await runPeer('timeout', ['10', peerPath('rtmpdump'), '-V', '--live', '-r', url, '-o', out], { timeoutMs: 15_000 });
    expect(run.stderr).toMatch(/Type Answer\s*: 08/);
    expect(run.stderr).toMatch(/Genuine Adobe Flash Media Server/);
    expect(run.code, run.stderr.slice(-2000)).not.toBe(124); // stopped by NetStream.Play.Stop, not the timeout
    expect(seen.at(-1)?.connectInfo).toMatchObject({ app: 'live', tcUrl });
    expect(seen.at(-1)?.scheme).toBe('rtmpe');
    const tags = readFlvTags(out).filter((tag) => tag.type === 8 || tag.type === 9);
    expect(tags.map((tag) => [tag.type, tag.timestamp])).toEqual(frames.map((frame) => [frame.type, frame.timestamp]));
    tags.forEach((tag, index) => expect(tag.payload.equals(frames[index]!.payload), `tag ${index}`).toBe(true));
  }, 30_000);
});
