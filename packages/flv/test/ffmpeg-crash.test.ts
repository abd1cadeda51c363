import { readFileSync, writeFileSync } from 'node:fs';
import { parseAudioTag, parseVideoTag, TruncatedInputError } from '@rtmpkit/core';
import fc from 'fast-check';
import { describe, expect, it, type TestContext } from 'vitest';
import { FlvFileRecorder, indexFlvFile, repairFlvFile, type FlvTag } from '../src/index.js';
import { readAll, readParts } from './helpers/collect.js';
import { countPackets, decodeErrors, makeTestFlv, needFfmpeg, probe } from './helpers/ffmpeg.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();

let recording: Promise<{ bytes: Buffer; tags: FlvTag[] }> | undefined;

/**
 * Records the ffmpeg file's tags and returns the bytes on disk before `close()`: what a kill
 * would leave at any moment is a prefix of them, since each tag goes out in one write.
 */
function liveRecording(context: TestContext): Promise<{ bytes: Buffer; tags: FlvTag[] }> {
  needFfmpeg(context);
  recording ??= (async () => {
    makeTestFlv(path('source.flv'));
    const recorder = await FlvFileRecorder.open(path('live.flv'));
    for (const tag of await readAll(path('source.flv'))) await recorder.write(tag);
    const bytes = readFileSync(path('live.flv'));
    await recorder.close();
    return { bytes, tags: readParts([bytes]).tags };
  })();
  return recording;
}

const tagEnd = (tag: FlvTag) => tag.offset + 11 + tag.payload.length + 4;
const frames = (tags: FlvTag[], type: 8 | 9) =>
  tags.filter((tag) => tag.type === type && (type === 9 ? parseVideoTag(tag.payload) : parseAudioTag(tag.payload)).packetType === 1).length;

describe('a recording killed mid-write', { timeout: 180_000 }, () => {
  it('reads cleanly up to its last complete tag, and ffprobe accepts it', async (context) => {
    const { bytes, tags } = await liveRecording(context);
    // Cuts anywhere after the first video frame (before it there is nothing to play), at random.
    const firstFrame = tags.find((tag) => tag.type === 9 && parseVideoTag(tag.payload).packetType === 1)!;
    const cuts = fc.sample(fc.integer({ min: tagEnd(firstFrame), max: bytes.length - 1 }), 4);
    for (const cut of cuts) {
      const file = path(`killed-${cut}.flv`);
      writeFileSync(file, bytes.subarray(0, cut));
      const complete = tags.filter((tag) => tagEnd(tag) <= cut);
      const read = await readAll(file, { truncated: 'stop' });
      expect(read, `cut at ${cut}`).toEqual(complete);
      const boundary = tagEnd(complete.at(-1)!) === cut;
      if (!boundary) await expect(readAll(file), `cut at ${cut}`).rejects.toThrow(TruncatedInputError);
      const index = await indexFlvFile(file, { truncated: 'stop' });
      expect(index.validLength).toBe(tagEnd(complete.at(-1)!));
      // As it was left, ffprobe accepts it and finds both streams (it may log the frame cut short as
      // invalid, and a cut inside an early tag header can show it a phantom third stream).
      const info = probe(file);
      expect(info.status, `cut at ${cut}`).toBe(0);
      expect(info.codecs, `cut at ${cut}`).toEqual(expect.arrayContaining(['aac', 'h264']));
      // Read to the end, ffprobe finds the complete frames and at most the one cut short on top
      // (whose missing bytes it complains about).
      const raw = countPackets(file);
      expect(raw.video - frames(complete, 9), `cut at ${cut}`).toBeGreaterThanOrEqual(0);
      expect(raw.video - frames(complete, 9), `cut at ${cut}`).toBeLessThanOrEqual(1);
      // Repaired (cut back to the last complete tag), it probes, reads and decodes without a word.
      expect(await repairFlvFile(file)).toEqual({ validLength: tagEnd(complete.at(-1)!), discardedBytes: cut - tagEnd(complete.at(-1)!) });
      expect(probe(file), `cut at ${cut}`).toMatchObject({ status: 0, errors: '', codecs: ['aac', 'h264'] });
      expect(countPackets(file), `cut at ${cut}`).toEqual({ errors: '', video: frames(complete, 9), audio: frames(complete, 8) });
      expect(decodeErrors(file), `cut at ${cut}`).toBe('');
    }
  });

  it("is continued by 'append' mode into a file ffmpeg reads whole", async (context) => {
    const { bytes, tags } = await liveRecording(context);
    const cut = tags[Math.floor(tags.length / 2)]!.offset + 100; // inside a tag, about 1.5 s in
    writeFileSync(path('resumed.flv'), bytes.subarray(0, cut));
    const crashed = await indexFlvFile(path('resumed.flv'), { truncated: 'stop' });
    const recorder = await FlvFileRecorder.open(path('resumed.flv'), { mode: 'append' });
    for (const tag of await readAll(path('source.flv'))) await recorder.write(tag);
    const summary = await recorder.close();
    expect(summary).toMatchObject({ appended: true, discardedBytes: cut - crashed.validLength, durationField: 'rewritten' });
    const index = await indexFlvFile(path('resumed.flv')); // throws if anything is cut or misaligned
    expect(index.truncation).toBeUndefined();
    expect(index.duration).toBeCloseTo(crashed.duration + 3.041, 2);
    expect(index.keyframes.length).toBe(crashed.keyframes.length + 3);
    const info = probe(path('resumed.flv'));
    expect(info.errors).toBe('');
    expect(info.codecs).toEqual(['aac', 'h264']);
    expect(info.duration).toBeCloseTo(summary.duration, 3);
    expect(countPackets(path('resumed.flv')).errors).toBe('');
    expect(decodeErrors(path('resumed.flv'))).toBe('');
  });
});
