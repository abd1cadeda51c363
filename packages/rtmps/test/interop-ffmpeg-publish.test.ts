import { join } from 'node:path';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorLines, ffmpegPublishFile } from './helpers/ffmpeg.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { tempDir } from './helpers/temp-dir.js';

describeWithPeers('interop: ffmpeg publishes to our RTMPS listener', ['ffmpeg'], () => {
  const cache = tempDir('ffmpeg-publish');
  let server: RecordingServer;
  let file: string;
  let certFile: string;

  beforeAll(async () => {
    file = await makeTestFlv({ seconds: 5 });
    // No certificate configured: the listener serves its development certificate.
    server = await startRecordingServer({ developmentCertificate: { directory: cache.path } });
    certFile = join(cache.path, 'development-cert.pem');
  });

  afterAll(async () => {
    try {
      await server?.close();
    } finally {
      cache.remove();
    }
  });

  it.concurrent('takes a file published with -c copy: metadata, sequence headers, 5 s of media, over a secure session', async () => {
    const result = await ffmpegPublishFile(file, server.url('live/x')).done;
    expect(result.timedOut).toBe(false);
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);

    const publish = await server.publishOf('x');
    expect(await publish.done).toBeUndefined();
    expect(publish.stream.session.secure).toBe(true);
    expect(publish.stream.session.connectInfo.tcUrl).toBe(server.url('live'));
    expect(publish.stream.session.connectInfo.flashVer).toMatch(/^FMLE\/3\.0 \(compatible; Lavf/);
    const summary = summarize(publish.messages);
    expectH264AacStream(summary, { width: 320, height: 240, spanMs: [4500, 5500], minKeyframes: 5 });
    expect(summary.videoCount).toBeGreaterThanOrEqual(125); // 5 s at 25 fps
    expect(summary.audioCount).toBeGreaterThanOrEqual(210); // AAC at 44.1 kHz, 1024 samples a frame
  });

  it.concurrent('ffmpeg verifying the certificate (-tls_verify 1 -ca_file <development certificate>) accepts it for 127.0.0.1', async () => {
    const result = await ffmpegPublishFile(file, server.url('live/verified'), { seconds: 2, outputArgs: ['-tls_verify', '1', '-ca_file', certFile] }).done;
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    const publish = await server.publishOf('verified');
    expect(await publish.done).toBeUndefined();
    expect(summarize(publish.messages).spanMs).toBeGreaterThanOrEqual(1500);
  });

  it.concurrent('ffmpeg verifying against its own CA list refuses the development certificate, and nothing is published', async () => {
    const result = await ffmpegPublishFile(file, server.url('live/refused'), { seconds: 1, outputArgs: ['-tls_verify', '1'] }).done;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Peer certificate failed verification');
    expect(server.publishes.some((publish) => publish.name === 'refused')).toBe(false);
  });
});
