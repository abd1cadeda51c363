import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { relayHandler } from '@rtmpkit/compliance';
import type { NetStream, Session } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rtmps, type RtmpsListener } from '../src/index.js';
import { eventually } from './helpers/deadline.js';
import { ffmpegPlayFrames, ffprobe } from './helpers/ffmpeg.js';
import { readFlvTags, type FlvTag } from './helpers/flv-tags.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { sendFlvTags } from './helpers/send-tags.js';
import { tempDir } from './helpers/temp-dir.js';

describeWithPeers('interop: ffmpeg and ffprobe play from our RTMPS listener', ['ffmpeg', 'ffprobe'], () => {
  const cache = tempDir('play');
  let tags: FlvTag[];
  let certFile: string;
  let server: RecordingServer;
  const serving: Array<Promise<number>> = [];

  beforeAll(async () => {
    tags = await readFlvTags(await makeTestFlv({ seconds: 5 }));
    // Every play of `live/movie` gets the file at twice real time, from its sequence headers on.
    server = await startRecordingServer(
      { developmentCertificate: { directory: cache.path } },
      {
        play({ stream, name }) {
          if (name !== 'movie') throw Object.assign(new Error(`${name} is not here`), { statusCode: 'NetStream.Play.StreamNotFound' });
          // After the handler returns, the session sends NetStream.Play.Start; the media follows it.
          serving.push(new Promise((resolve) => setImmediate(resolve)).then(() => sendFlvTags(stream, tags, { speed: 2 })));
        },
      },
    );
    certFile = join(cache.path, 'development-cert.pem');
  });

  afterAll(async () => {
    try {
      await server?.close();
      await Promise.all(serving);
    } finally {
      cache.remove();
    }
  });

  it('ffmpeg decodes seconds of frames served as FLV tags (verifying the certificate with -ca_file)', async () => {
    const { run, frames } = await ffmpegPlayFrames(server.url('live/movie'), { seconds: 3, inputArgs: ['-tls_verify', '1', '-ca_file', certFile] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(frames, run.stderr).toBeGreaterThanOrEqual(70); // 3 s at 25 fps
    expect(server.sessions.at(-1)!.secure).toBe(true);
  });

  it('ffprobe decodes H.264 and AAC frames', async () => {
    const probe = await ffprobe(server.url('live/movie'), { readSeconds: 2 });
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((stream) => stream.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((stream) => stream.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    const video = probe.frames.filter((frame) => frame.media_type === 'video');
    expect(video.length).toBeGreaterThanOrEqual(40);
    expect(video.filter((frame) => frame.key_frame === 1).length).toBeGreaterThanOrEqual(2);
    expect(probe.frames.filter((frame) => frame.media_type === 'audio').length).toBeGreaterThanOrEqual(60);
  });

  it('ffprobe decodes what our RTMPS client publishes through a relay on our RTMPS listener', async () => {
    const relayListener: RtmpsListener = await rtmps({ developmentCertificate: { directory: cache.path } }).listen({ host: '127.0.0.1', port: 0 });
    const relay = relayHandler();
    const sessions: Session[] = [];
    const loop = (async () => {
      for await (const incoming of relayListener) sessions.push(await relay(incoming));
    })();
    const url = `rtmps://127.0.0.1:${relayListener.address.port}/live`;
    let publisher: Session | undefined;
    try {
      // The relay keeps no GOP: the player comes first, then the publisher's sequence headers reach it.
      const probing = ffprobe(`${url}/relayed`, { readSeconds: 2, timeoutMs: 20_000 });
      const playing = (session: Session) => [...session.streams.values()].some((stream: NetStream) => stream.mode === 'playing');
      await eventually(() => sessions.some(playing), 10_000, 'ffprobe playing on the relay');

      publisher = await rtmps({ ca: readFileSync(certFile) }).connect(url);
      expect(publisher.secure).toBe(true);
      const stream = await publisher.createStream();
      await stream.publish('relayed');
      const publishing = sendFlvTags(stream, tags, { speed: 1, leadMs: 300 });

      const probe = await probing;
      expect(probe.run.code, probe.run.stderr).toBe(0);
      expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
      expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
      expect(probe.frames.filter((frame) => frame.media_type === 'video').length).toBeGreaterThanOrEqual(40);
      await stream.close();
      expect(await publishing).toBeGreaterThan(0);
    } finally {
      await publisher?.close();
      await relayListener.close();
      await Promise.all(sessions.map((session) => session.close().catch(() => {})));
      await loop;
    }
  });
});
