import { writeFileSync } from 'node:fs';
import { addSetDataFrame, decodeData, encodeData, parseAudioTag, parseVideoTag, type RtmpMessage } from '@rtmpkit/core';
import { describe, expect, it, type TestContext } from 'vitest';
import { FlvFileRecorder, FlvWriter, indexFlvFile, type FlvTag } from '../src/index.js';
import { readAll } from './helpers/collect.js';
import { countPackets, decodeErrors, keyframeTimes, makeTestFlv, needFfmpeg, probe } from './helpers/ffmpeg.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();
let made: string | undefined;

/** The ffmpeg-made 3 s file (made once per run, in the temp folder). */
function source(context: TestContext): string {
  needFfmpeg(context);
  if (made === undefined) {
    makeTestFlv(path('ffmpeg.flv'));
    made = path('ffmpeg.flv');
  }
  return made;
}

/** Tags of `type` that hold a coded frame (AVCPacketType / AACPacketType 1). */
function codedFrames(tags: FlvTag[], type: 8 | 9): number {
  return tags.filter((tag) => tag.type === type && (type === 9 ? parseVideoTag(tag.payload) : parseAudioTag(tag.payload)).packetType === 1).length;
}

/** What a publisher would send for these tags: on stream 1, metadata wrapped in @setDataFrame. */
function asPublished(tags: FlvTag[]): RtmpMessage[] {
  return tags.map(({ type, timestamp, payload }) => {
    if (type !== 18) return { type, streamId: 1, timestamp, payload };
    return encodeData(addSetDataFrame(decodeData({ type, streamId: 1, timestamp, payload })), { streamId: 1, timestamp });
  });
}

describe('a real file made by ffmpeg', { timeout: 60_000 }, () => {
  it('reads every tag, as many media packets as ffprobe counts', async (context) => {
    const file = source(context);
    const tags = await readAll(file);
    const info = probe(file);
    const packets = countPackets(file);
    expect(info.status).toBe(0);
    expect(tags[0]).toMatchObject({ type: 18, offset: 13 });
    // Packets are the tags with coded frames: not the sequence headers, not the AVC end of sequence.
    expect(codedFrames(tags, 9)).toBe(packets.video);
    expect(codedFrames(tags, 9)).toBe(75); // 3 s at 25 fps
    expect(codedFrames(tags, 8)).toBe(packets.audio);
    expect(tags.filter((tag) => tag.type === 9)).toHaveLength(75 + 2); // + sequence header + end of sequence
    const last = tags.at(-1)!;
    expect(last.offset + 11 + last.payload.length + 4).toBe(info.size);
  });

  it('indexes it: duration, metadata, sequence headers, a key frame every second', async (context) => {
    const file = source(context);
    const index = await indexFlvFile(file);
    expect(Math.abs(index.duration - 3)).toBeLessThanOrEqual(0.1);
    // FFmpeg knows the real length of the short last AAC packet; the index takes the usual frame
    // interval (23 ms) for it, so it may say up to one audio frame more.
    expect(Math.abs(index.duration - probe(file).duration)).toBeLessThanOrEqual(0.025);
    expect(index.metadata).toMatchObject({ videocodecid: 7, audiocodecid: 10, width: 320, height: 240 });
    expect(parseVideoTag(index.videoSequenceHeader!.payload)).toMatchObject({ codec: 7, isSequenceHeader: true });
    expect(parseAudioTag(index.audioSequenceHeader!.payload)).toMatchObject({ codec: 10, isSequenceHeader: true });
    const times = index.keyframes.map((frame) => frame.timestamp);
    expect(times).toEqual(keyframeTimes(file));
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) expect(Math.abs(times[i]! - times[i - 1]! - 1000)).toBeLessThanOrEqual(40);
    const start = index.seek(1500)!;
    expect(start).toEqual(index.keyframes[1]);
    const from = await readAll(file, { start: start.offset });
    expect(from[0]).toMatchObject({ type: 9, timestamp: times[1] });
    expect(parseVideoTag(from[0]!.payload).isKeyframe).toBe(true);
  });

  it('rewritten tag by tag by FlvWriter gives the same bytes, and ffprobe agrees', async (context) => {
    const file = source(context);
    const writer = new FlvWriter();
    const tags = await readAll(file);
    const rewritten = Buffer.concat([writer.header(), ...tags.map((tag) => writer.write(tag))]);
    writeFileSync(path('rewritten.flv'), rewritten);
    const before = probe(file);
    const after = probe(path('rewritten.flv'));
    expect(after.errors).toBe('');
    expect(after.status).toBe(0);
    expect(after).toEqual(before);
    expect(after.codecs).toEqual(['aac', 'h264']);
    expect(countPackets(path('rewritten.flv'))).toEqual(countPackets(file));
    expect(decodeErrors(path('rewritten.flv'))).toBe('');
  });

  it('recorded from what a publisher sends (with @setDataFrame), it keeps duration and codecs', async (context) => {
    const file = source(context);
    const recorder = await FlvFileRecorder.open(path('recorded.flv'));
    for (const message of asPublished(await readAll(file))) await recorder.write(message);
    const summary = await recorder.close();
    const before = probe(file);
    const after = probe(path('recorded.flv'));
    expect(summary).toMatchObject({ durationField: 'rewritten', filesizeField: 'rewritten', fileSize: before.size });
    expect(after.errors).toBe('');
    expect(after.duration).toBe(summary.duration); // ffprobe reads the patched number
    expect(Math.abs(after.duration - before.duration)).toBeLessThanOrEqual(0.025);
    expect(after.codecs).toEqual(before.codecs);
    expect(countPackets(path('recorded.flv'))).toEqual(countPackets(file));
    expect(decodeErrors(path('recorded.flv'))).toBe('');
  });
});
