import { open } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import {
  buildAvcSequenceHeader,
  buildExAudioCodedFrames,
  buildExAudioSequenceStart,
  buildExVideoCodedFrames,
  buildExVideoSequenceStart,
  ecmaArray,
  TruncatedInputError,
  type RtmpMessage,
} from '@rtmpkit/core';
import { describe, expect, it, vi } from 'vitest';
import { indexFlvFile } from '../src/index.js';
import { readAll } from './helpers/collect.js';
import { AAC_CONFIG, AVC_CONFIG, audio, flvBytes, publishedStream, video } from './helpers/media.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();

function fileOf(name: string, messages: RtmpMessage[]): string {
  writeFileSync(path(name), flvBytes(messages));
  return path(name);
}

describe('indexFlvFile', () => {
  it('measures the duration and finds each key frame at the offset of its tag', async () => {
    const file = fileOf('three.flv', publishedStream({ seconds: 3 }));
    const index = await indexFlvFile(file);
    const tags = await readAll(file);
    // Video 0..2960 plus one 40 ms frame, audio 0..2980 plus one 20 ms frame: 3 s.
    expect(index.duration).toBe(3);
    expect([index.firstTimestamp, index.lastTimestamp, index.endTimestamp]).toEqual([0, 2980, 3000]);
    const keyTags = tags.filter((tag) => tag.type === 9 && tag.payload[0] === 0x17 && tag.payload[1] === 0x01);
    expect(index.keyframes).toEqual(keyTags.map((tag) => ({ timestamp: tag.timestamp, offset: tag.offset })));
    expect(index.keyframes.map((frame) => frame.timestamp)).toEqual([0, 1000, 2000]);
    expect(index.tagCount).toBe(tags.length);
    expect(index.validLength).toBe(index.fileSize);
    expect(index.truncation).toBeUndefined();
    expect([index.hasAudio, index.hasVideo]).toEqual([true, true]);
  });

  it('seeks to the key frame at or before a time', async () => {
    const index = await indexFlvFile(fileOf('seek.flv', publishedStream({ seconds: 3, start: 500 })));
    const at = (ms: number) => index.seek(ms)?.timestamp;
    expect([at(0), at(500), at(1499), at(1500), at(2600), at(1e9)]).toEqual([500, 500, 500, 1500, 2500, 2500]);
    expect(index.seek(1500)).toEqual(index.keyframes[1]);
  });

  it('gives offsets that playback can start from', async () => {
    const file = fileOf('start.flv', publishedStream({ seconds: 3 }));
    const index = await indexFlvFile(file);
    const from = await readAll(file, { start: index.seek(2100)!.offset });
    expect(from[0]).toMatchObject({ type: 9, timestamp: 2000 });
    expect(from[0]!.payload[0]).toBe(0x17);
    expect(from.at(-1)!.timestamp).toBe(2980);
  });

  it('decodes onMetaData and keeps the sequence headers', async () => {
    const index = await indexFlvFile(fileOf('meta.flv', publishedStream({ seconds: 1, metadata: { width: 320, duration: 0 } })));
    expect(index.metadata).toEqual(ecmaArray({ width: 320, duration: 0 }));
    expect(index.metadataTag).toMatchObject({ type: 18, offset: 13 });
    expect(index.videoSequenceHeader!.payload).toEqual(buildAvcSequenceHeader(AVC_CONFIG));
    expect(index.audioSequenceHeader!.payload.subarray(2)).toEqual(AAC_CONFIG);
    expect(index.sequenceHeaders).toHaveLength(2);
  });

  it('tells which sequence headers are in force at a seek point', async () => {
    const newConfig = Buffer.from('0164001fffe100', 'hex');
    const messages = publishedStream({ seconds: 3 });
    const change = messages.findIndex((message) => message.type === 9 && message.timestamp === 1520);
    expect(change).toBeGreaterThan(0);
    messages.splice(change, 0, { type: 9, streamId: 1, timestamp: 1520, payload: buildAvcSequenceHeader(newConfig) });
    const index = await indexFlvFile(fileOf('change.flv', messages));
    const late = index.sequenceHeadersBefore(index.seek(2000)!.offset);
    expect(late.map((tag) => tag.type)).toEqual([9, 8]);
    expect(late[0]!.payload).toEqual(buildAvcSequenceHeader(newConfig));
    expect(index.sequenceHeadersBefore(index.seek(1000)!.offset)[0]!.payload).toEqual(buildAvcSequenceHeader(AVC_CONFIG));
  });

  it('indexes Enhanced RTMP: HEVC SequenceStart and key frames, Opus', async () => {
    const messages: RtmpMessage[] = [
      { type: 9, streamId: 1, timestamp: 0, payload: buildExVideoSequenceStart('hvc1', Buffer.from('01020304', 'hex')) },
      { type: 8, streamId: 1, timestamp: 0, payload: buildExAudioSequenceStart('Opus', Buffer.alloc(0)) },
    ];
    for (let at = 0; at < 2000; at += 40) {
      messages.push({ type: 9, streamId: 1, timestamp: at, payload: buildExVideoCodedFrames({ fourCc: 'hvc1', keyframe: at % 520 === 0, data: Buffer.alloc(30) }) });
      messages.push({ type: 8, streamId: 1, timestamp: at, payload: buildExAudioCodedFrames('Opus', Buffer.alloc(10)) });
    }
    const index = await indexFlvFile(fileOf('hevc.flv', messages));
    expect(index.keyframes.map((frame) => frame.timestamp)).toEqual([0, 520, 1040, 1560]);
    expect(index.sequenceHeaders.map((tag) => tag.payload.subarray(1, 5).toString('latin1'))).toEqual(['hvc1', 'Opus']);
    expect(index.duration).toBe(2);
  });

  it('needs no metadata, and an audio-only file has nothing to seek to', async () => {
    const noMeta = await indexFlvFile(fileOf('nometa.flv', publishedStream({ seconds: 2, metadata: null })));
    expect(noMeta.metadata).toBeUndefined();
    expect(noMeta.keyframes).toHaveLength(2);
    const audioOnly = await indexFlvFile(fileOf('audio.flv', [0, 20, 40].map((at) => audio(at))));
    expect(audioOnly.seek(20)).toBeUndefined();
    expect([audioOnly.hasAudio, audioOnly.hasVideo, audioOnly.duration]).toEqual([true, false, 0.06]);
  });

  it('reads tag headers and the first bytes of frames, not whole frames', async () => {
    const big = [video(0, true, 200_000), ...Array.from({ length: 30 }, (_, i) => video(40 * (i + 1), i % 10 === 9, 200_000))];
    const file = fileOf('big.flv', big);
    const handle = await open(file);
    const prototype = Object.getPrototypeOf(handle) as { read: (...args: unknown[]) => unknown };
    await handle.close();
    const read = vi.spyOn(prototype, 'read');
    try {
      const index = await indexFlvFile(file);
      const bytesAsked = read.mock.calls.reduce((sum, call) => sum + Number(call[2]), 0);
      expect(index.keyframes.map((frame) => frame.timestamp)).toEqual([0, 400, 800, 1200]);
      expect(bytesAsked).toBeLessThan(index.fileSize / 10);
    } finally {
      read.mockRestore();
    }
  });

  it('says where a truncated file was cut, or refuses it', async () => {
    const bytes = flvBytes(publishedStream({ seconds: 2 }));
    const tags = await readAll(fileOf('whole.flv', publishedStream({ seconds: 2 })));
    const cutAt = tags[40]!.offset + 7; // inside tag 40
    writeFileSync(path('cut.flv'), bytes.subarray(0, cutAt));
    await expect(indexFlvFile(path('cut.flv'))).rejects.toThrow(TruncatedInputError);
    const index = await indexFlvFile(path('cut.flv'), { truncated: 'stop' });
    expect(index.truncation).toEqual({ validLength: tags[40]!.offset, bytes: 7, inside: 'tag' });
    expect(index.tagCount).toBe(40);
    expect(index.validLength).toBe(tags[40]!.offset);
  });

  it('keeps one key frame per timestamp, the first in the file', async () => {
    const index = await indexFlvFile(fileOf('twice.flv', [video(0, true), video(0, true), video(40, false), video(80, true)]));
    expect(index.keyframes).toEqual([
      { timestamp: 0, offset: 13 },
      { timestamp: 80, offset: 13 + 3 * (11 + 25 + 4) },
    ]);
  });
});
