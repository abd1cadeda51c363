import { setTimeout as sleep } from 'node:timers/promises';
import type { RtmpMessage, Session, StatusInfo } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv, startNginxRtmp, type NginxRtmp } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rtmp } from '../src/index.js';
import { errorLines, ffmpegPublishFile, ffprobe } from './helpers/ffmpeg.js';
import { readFlvTags, type FlvTag } from './helpers/flv-file.js';
import { sendFlvTags } from './helpers/flv-source.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';

/** nginx's error log lines worse than info/notice. */
function nginxComplaints(log: string): string[] {
  return log.split('\n').filter((line) => /\[(warn|error|crit|alert|emerg)\]/.test(line));
}

describeWithPeers('interop: our client against nginx-rtmp', ['nginx-rtmp', 'ffmpeg', 'ffprobe'], () => {
  let nginx: NginxRtmp;
  let file: string;
  let tags: FlvTag[];
  const sessions: Session[] = [];

  beforeAll(async () => {
    file = await makeTestFlv({ seconds: 5 });
    tags = await readFlvTags(file);
    nginx = await startNginxRtmp();
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close().catch(() => {})));
    await nginx?.stop();
  });

  async function connect(): Promise<Session> {
    const session = await rtmp().connect(`rtmp://127.0.0.1:${nginx.port}/live`, { timeouts: { connect: 5000, call: 5000 } });
    sessions.push(session);
    return session;
  }

  it.concurrent('publishes a file to nginx, and ffprobe reads it back from nginx', async () => {
    const session = await connect();
    expect(session.connectResult?.args[0]).toMatchObject({ code: 'NetConnection.Connect.Success' });
    const stream = await session.createStream();
    await stream.publish('ours');
    const publishing = sendFlvTags(stream, tags, { speed: 1, leadMs: 0 });

    // nginx keeps no GOP: the probe starts at the next keyframe (one a second in this file).
    await sleep(300);
    const probe = await ffprobe(`rtmp://127.0.0.1:${nginx.port}/live/ours`, { frames: true, readSeconds: 2, timeoutMs: 10_000 });
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    const videoFrames = probe.frames.filter((frame) => frame.media_type === 'video');
    expect(videoFrames.length).toBeGreaterThanOrEqual(25);
    expect(videoFrames.filter((frame) => frame.key_frame === 1).length).toBeGreaterThanOrEqual(2);
    expect(probe.frames.filter((frame) => frame.media_type === 'audio').length).toBeGreaterThanOrEqual(40);

    const result = await publishing;
    expect(result.error).toBeUndefined();
    expect(result.completed).toBe(true);
    await stream.close();
    await session.close();
    expect(session.closeError).toBeUndefined();
    expect(nginx.log()).toMatch(/publish: name='ours' args='' type=live/);
    expect(nginxComplaints(nginx.log())).toEqual([]);
  });

  it.concurrent('plays from nginx what ffmpeg publishes there: metadata, sequence headers, seconds of media', async () => {
    const session = await connect();
    const stream = await session.createStream();
    const statuses: StatusInfo[] = [];
    stream.onStatus((info) => statuses.push(info));
    await stream.play('theirs');
    const messages: RtmpMessage[] = [];
    const reading = (async () => {
      for await (const message of stream) messages.push({ ...message, payload: Buffer.from(message.payload) });
    })();

    const ffmpeg = await ffmpegPublishFile(file, `rtmp://127.0.0.1:${nginx.port}/live/theirs`).done;
    expect(ffmpeg.timedOut).toBe(false);
    expect(errorLines(ffmpeg.stderr), ffmpeg.stderr).toEqual([]);
    expect(ffmpeg.code, ffmpeg.stderr).toBe(0);
    // nginx tells players that the publisher left with a StreamEOF user control event only (its
    // NetStream.Play.Stop answers the player's closeStream), so the play goes on until we close it.
    await sleep(500);
    await stream.close();
    await reading;

    expect(statuses.map((s) => s.code)).toEqual(['NetStream.Play.Start']);
    const summary = summarize(messages);
    expect(summary.dataNames).toEqual(['|RtmpSampleAccess', 'onMetaData']);
    expect(summary.metadata).toMatchObject({ Server: expect.stringMatching(/NGINX RTMP/) });
    // nginx-rtmp rebuilds onMetaData as an AMF0 object (0x03), not an ECMA array, and sends each
    // track's sequence header right before that track's first frame (AAC header, AAC frame, AVC header...).
    expectH264AacStream(summary, {
      width: 320,
      height: 240,
      spanMs: [2000, 5500],
      minKeyframes: 2,
      metadataIsEcmaArray: false,
      headersBeforeAnyFrame: false,
    });
    await session.close();
    expect(session.closeError).toBeUndefined();
    expect(nginxComplaints(nginx.log())).toEqual([]);
  });
});
