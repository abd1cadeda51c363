import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RtmpMessage } from '@rtmpkit/core';
import { expect, it } from 'vitest';
import { rtmfp, rtmfpSessionInfo } from '../src/index.js';

// The README's server and client examples, with port 0 instead of 1935 and the log collected.

it('the README server and client examples work together', async () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain("await rtmfp().listen({ host: '0.0.0.0', port: 1935 })");
  expect(readme).toContain("await rtmfp().connect('rtmfp://127.0.0.1/live')");

  const got: { name: string; type: number; length: number }[] = [];
  const listener = await rtmfp().listen({ host: '127.0.0.1', port: 0 });
  const serving = (async () => {
    for await (const incoming of listener) {
      if (incoming.connectInfo.app !== 'live') {
        await incoming.reject('no such application');
        continue;
      }
      const session = await incoming.accept();
      session.onStreamRequest({
        publish({ stream, name }) {
          void (async () => {
            for await (const message of stream as AsyncIterable<RtmpMessage>) got.push({ name, type: message.type, length: message.payload.length });
          })();
        },
      });
    }
  })();

  const url = `rtmfp://127.0.0.1:${listener.address.port}`;
  await expect(rtmfp().connect(`${url}/vod`)).rejects.toThrow(/no such application/);
  const keyframe = Buffer.alloc(40_000, 0x17);
  const session = await rtmfp().connect(`${url}/live`);
  const stream = await session.createStream();
  await stream.publish('cam');
  await stream.sendMetadata({ width: 1280, height: 720 });
  await stream.send({ type: 9, timestamp: 0, payload: keyframe });
  const stats = rtmfpSessionInfo(session)?.stats;
  expect(stats?.packetsSent).toBeGreaterThan(0);
  await session.close();
  expect(got.map((item) => [item.name, item.type])).toEqual([['cam', 18], ['cam', 9]]);
  expect(got[1]!.length).toBe(40_000);
  await listener.close();
  await serving;
});
