import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RtmpMessage, Session } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv, startNginxRtmp, type NginxRtmp } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDevelopmentCertificate, rtmps, TlsCertificateError, type DevelopmentCertificate } from '../src/index.js';
import { errorLines, ffmpegPublishFile, ffprobe } from './helpers/ffmpeg.js';
import { readFlvTags, type FlvTag } from './helpers/flv-tags.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';
import { sendFlvTags } from './helpers/send-tags.js';
import { tempDir } from './helpers/temp-dir.js';

/** nginx's error log lines worse than info/notice. */
function nginxComplaints(log: string): string[] {
  return log.split('\n').filter((line) => /\[(warn|error|crit|alert|emerg)\]/.test(line));
}

describeWithPeers('interop: our RTMPS client and nginx-rtmp behind nginx stream ssl', ['nginx-rtmp', 'nginx-stream', 'ffmpeg', 'ffprobe'], () => {
  const dir = tempDir('nginx');
  let certificate: DevelopmentCertificate;
  let nginx: NginxRtmp;
  let tags: FlvTag[];
  let file: string;
  const sessions: Session[] = [];

  beforeAll(async () => {
    file = await makeTestFlv({ seconds: 5 });
    tags = await readFlvTags(file);
    certificate = await createDevelopmentCertificate({ hostnames: ['localhost', 'nginx.test'], ips: ['127.0.0.1'] });
    const certificateFile = join(dir.path, 'cert.pem');
    const keyFile = join(dir.path, 'key.pem');
    writeFileSync(certificateFile, certificate.cert);
    writeFileSync(keyFile, certificate.key, { mode: 0o600 });
    nginx = await startNginxRtmp({ tls: { certificateFile, keyFile } });
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close().catch(() => {})));
    try {
      await nginx?.stop();
    } finally {
      dir.remove();
    }
  });

  async function connect(options: Parameters<typeof rtmps>[0] = { ca: certificate.cert }): Promise<Session> {
    const session = await rtmps(options).connect(`rtmps://127.0.0.1:${nginx.tlsPort}/live`, { timeouts: { connect: 5000, call: 5000 } });
    sessions.push(session);
    return session;
  }

  it('publishes over TLS (verifying nginx\'s certificate), and ffprobe reads it back from nginx over plain rtmp', async () => {
    const session = await connect();
    expect(session.secure).toBe(true);
    expect(session.connectResult?.args[0]).toMatchObject({ code: 'NetConnection.Connect.Success' });
    const stream = await session.createStream();
    await stream.publish('ours');
    const publishing = sendFlvTags(stream, tags, { speed: 1, leadMs: 0 });

    await sleep(300); // nginx keeps no GOP: the probe starts at the next keyframe (one a second)
    const probe = await ffprobe(`rtmp://127.0.0.1:${nginx.port}/live/ours`, { readSeconds: 2, timeoutMs: 10_000 });
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    const video = probe.frames.filter((frame) => frame.media_type === 'video');
    expect(video.length).toBeGreaterThanOrEqual(25);
    expect(video.filter((frame) => frame.key_frame === 1).length).toBeGreaterThanOrEqual(2);
    expect(probe.frames.filter((frame) => frame.media_type === 'audio').length).toBeGreaterThanOrEqual(40);

    expect(await publishing).toBe(tags.length);
    await stream.close();
    await session.close();
    expect(session.closeError).toBeUndefined();
    expect(nginx.log()).toMatch(/publish: name='ours' args='' type=live/);
    expect(nginxComplaints(nginx.log())).toEqual([]);
  });

  it('plays over TLS what ffmpeg publishes to nginx over plain rtmp: metadata, sequence headers, seconds of media', async () => {
    const session = await connect({ ca: certificate.cert, servername: 'nginx.test' });
    const stream = await session.createStream();
    await stream.play('theirs');
    const messages: RtmpMessage[] = [];
    const reading = (async () => {
      for await (const message of stream) messages.push({ ...message, payload: Buffer.from(message.payload) });
    })();
    const ffmpeg = await ffmpegPublishFile(file, `rtmp://127.0.0.1:${nginx.port}/live/theirs`).done;
    expect(errorLines(ffmpeg.stderr), ffmpeg.stderr).toEqual([]);
    expect(ffmpeg.code, ffmpeg.stderr).toBe(0);
    await sleep(500);
    await stream.close();
    await reading;
    expectH264AacStream(summarize(messages), { width: 320, height: 240, spanMs: [2000, 5500], minKeyframes: 2 });
    await session.close();
    expect(session.closeError).toBeUndefined();
  });

  it("refuses nginx's certificate without `ca` (self-signed) and for a name it does not list", async () => {
    const untrusted = await connect({}).catch((reason: unknown) => reason);
    expect(untrusted).toBeInstanceOf(TlsCertificateError);
    expect(untrusted).toMatchObject({ problem: 'self-signed', tlsCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const misnamed = await connect({ ca: certificate.cert, servername: 'elsewhere.test' }).catch((reason: unknown) => reason);
    expect(misnamed).toBeInstanceOf(TlsCertificateError);
    expect(misnamed).toMatchObject({ problem: 'hostname-mismatch', host: 'elsewhere.test' });
  });
});
