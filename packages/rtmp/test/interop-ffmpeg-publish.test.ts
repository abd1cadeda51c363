import { SessionClosedError } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorLines, ffmpegPublishFile, ffmpegPublishLavfi } from './helpers/ffmpeg.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';
import { startTestServer, type SessionRecord, type TestServer } from './helpers/test-server.js';

describeWithPeers('interop: ffmpeg publishes to our listener', ['ffmpeg'], () => {
  let server: TestServer;
  let file: string;

  beforeAll(async () => {
    file = await makeTestFlv({ seconds: 5 });
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  /** What every ffmpeg publish must have looked like from the server's side. */
  async function expectOrderlyPublish(record: SessionRecord, name: string): Promise<void> {
    const { session } = record;
    expect(session.connectInfo.app).toBe('live');
    expect(session.connectInfo.tcUrl).toBe(server.url('live'));
    expect(session.connectInfo.flashVer).toMatch(/^FMLE\/3\.0 \(compatible; Lavf[\d.]+\)$/);
    expect(session.connectInfo.command.type).toBe('nonprivate');

    expect(record.publishes).toHaveLength(1);
    const [publish] = record.publishes;
    expect(publish!.name).toBe(name);
    expect(publish!.type).toBe('live');
    const ended = await publish!.done;
    if (ended !== undefined) {
      // The one race tolerated: ffmpeg closes with our answer to FCUnpublish unread, so its kernel
      // sends a reset, and ours drops what we had not read yet when it arrives: the tail of
      // deleteStream. FCUnpublish (ffmpeg saying it is done) must have arrived, and nothing else
      // may have gone wrong; the session then reports the cut message, as it should.
      expect(ended).toBeInstanceOf(SessionClosedError);
      expect((ended as Error).message).toMatch(/in the middle of a chunk or message/);
      expect(record.commands.map((command) => command.name)).toEqual(['releaseStream', 'FCPublish', 'FCUnpublish']);
      return;
    }

    // FMLE's order: releaseStream and FCPublish before publish, FCUnpublish at the end.
    expect(record.commands).toEqual([
      { name: 'releaseStream', args: [name] },
      { name: 'FCPublish', args: [name] },
      { name: 'FCUnpublish', args: [name] },
    ]);
    // deleteStream ended the publish while the connection was still up, without an error.
    expect(publish!.end).toMatchObject({ name, mode: 'publishing' });
    expect(publish!.end!.error).toBeUndefined();
    expect(publish!.sessionStateAtEnd).toBe('connected');
    expect(session.streams.size).toBe(0);

    // ffmpeg hangs up right after deleteStream without reading our answer to FCUnpublish: the
    // write races with its reset (EPIPE), which is still an orderly close (see interop-bugs.test.ts).
    await session.closed;
    expect(session.closeError).toBeUndefined();
  }

  it.concurrent('takes a file published with -c copy: metadata, sequence headers, 5 s of media, clean FCUnpublish/deleteStream', async () => {
    const ffmpeg = ffmpegPublishFile(file, server.url('live/feed'));
    const result = await ffmpeg.done;
    expect(result.timedOut).toBe(false);
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);

    const record = await server.waitForSession((r) => r.publishes.some((p) => p.name === 'feed'));
    await expectOrderlyPublish(record, 'feed');
    const summary = summarize(record.publishes[0]!.messages);
    expectH264AacStream(summary, { width: 320, height: 240, spanMs: [4500, 5500], minKeyframes: 5 });
    // 5 s at 25 fps, and AAC at 44.1 kHz (1024 samples a frame), plus the sequence headers.
    expect(summary.videoCount).toBeGreaterThanOrEqual(125);
    expect(summary.audioCount).toBeGreaterThanOrEqual(210);
    expect(summary.metadata).toMatchObject({ framerate: 25, audiosamplerate: 44100 });
    expect(summary.dataNames).toEqual(['onMetaData']);
  });

  it.concurrent('takes a lavfi source encoded live (libx264 + aac)', async () => {
    const ffmpeg = ffmpegPublishLavfi(server.url('live/encoded'), { seconds: 5 });
    const result = await ffmpeg.done;
    expect(result.timedOut).toBe(false);
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);

    const record = await server.waitForSession((r) => r.publishes.some((p) => p.name === 'encoded'));
    await expectOrderlyPublish(record, 'encoded');
    const summary = summarize(record.publishes[0]!.messages);
    expectH264AacStream(summary, { width: 320, height: 240, spanMs: [4500, 5500], minKeyframes: 5 });
    expect(summary.videoCount).toBeGreaterThanOrEqual(120);
  });

  it.concurrent('takes timestamps that cross 0xFFFFFF (extended timestamps, also on fmt 3 continuation chunks)', async () => {
    // 16776.5 s + 2 s of media crosses 2^24 ms = 16777.216 s; the keyframe at 16777.5 s (6.6 kB) spans two chunks.
    const ffmpeg = ffmpegPublishFile(file, server.url('live/late'), { seconds: 2, outputArgs: ['-output_ts_offset', '16776.5'] });
    const result = await ffmpeg.done;
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);

    const record = await server.waitForSession((r) => r.publishes.some((p) => p.name === 'late'));
    await expectOrderlyPublish(record, 'late');
    const { messages } = record.publishes[0]!;
    const summary = summarize(messages);
    expect(summary.backwards).toEqual([]);
    expect(summary.videoStartsWithSequenceHeader && summary.audioStartsWithSequenceHeader).toBe(true);
    // ffmpeg sends the sequence headers at 0 and the frames at their offset time.
    const frames = messages.filter((m) => (m.type === 8 || m.type === 9) && m.payload[1] === 1);
    const stamps = frames.map((m) => m.timestamp);
    expect(Math.min(...stamps)).toBeGreaterThanOrEqual(16_776_500);
    expect(Math.max(...stamps)).toBeGreaterThan(0xffffff);
    expect(Math.max(...stamps) - Math.min(...stamps)).toBeGreaterThanOrEqual(1900);
    expect(Math.max(...stamps) - Math.min(...stamps)).toBeLessThanOrEqual(2100);
    expect(frames.filter((m) => m.type === 9 && m.payload.length > 4096 && m.timestamp > 0xffffff).length).toBeGreaterThan(0);
  });
});
