import { AMF_ECMA_ARRAY, parseAudioTag, parseVideoTag, type AmfValue, type RtmpMessage } from '@rtmpkit/core';
import { expect } from 'vitest';
import { metadataOf } from './flv-file.js';

/** What a received publish or play looked like, reduced to what the interop tests check. */
export interface MediaSummary {
  messages: number;
  /** The first `onMetaData` (`@setDataFrame` already stripped by the server, if it was there). */
  metadata: Record<string, AmfValue> | undefined;
  /** True when the metadata came as an AMF0 ECMA array. */
  metadataIsEcmaArray: boolean;
  /** Names of all data messages, in order (`onMetaData`, `|RtmpSampleAccess`...). */
  dataNames: string[];
  videoCount: number;
  audioCount: number;
  /** Index (in all messages) of the AVC sequence header, of the AAC one, and of the first coded frame of either track. */
  avcSequenceHeaderAt: number;
  aacSequenceHeaderAt: number;
  firstCodedFrameAt: number;
  /** True when the first video message is the AVC sequence header, and the first audio one the AAC one. */
  videoStartsWithSequenceHeader: boolean;
  audioStartsWithSequenceHeader: boolean;
  videoCodecs: Set<number | string | undefined>;
  audioFormats: Set<number | undefined>;
  keyframes: number;
  /** Where a track's timestamp went backwards: `[track, index in track, previous, next]`. */
  backwards: Array<[string, number, number, number]>;
  videoSpanMs: number;
  audioSpanMs: number;
  /** From the first to the last media timestamp, both tracks together. */
  spanMs: number;
}

function span(timestamps: number[]): number {
  return timestamps.length === 0 ? 0 : Math.max(...timestamps) - Math.min(...timestamps);
}

/** Reads the messages of one publish or play (data, audio and video, in arrival order). */
export function summarize(messages: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>[]): MediaSummary {
  const summary: MediaSummary = {
    messages: messages.length,
    metadata: undefined,
    metadataIsEcmaArray: false,
    dataNames: [],
    videoCount: 0,
    audioCount: 0,
    avcSequenceHeaderAt: -1,
    aacSequenceHeaderAt: -1,
    firstCodedFrameAt: -1,
    videoStartsWithSequenceHeader: false,
    audioStartsWithSequenceHeader: false,
    videoCodecs: new Set(),
    audioFormats: new Set(),
    keyframes: 0,
    backwards: [],
    videoSpanMs: 0,
    audioSpanMs: 0,
    spanMs: 0,
  };
  const video: number[] = [];
  const audio: number[] = [];
  messages.forEach((message, index) => {
    if (message.type === 18 || message.type === 15) {
      const metadata = metadataOf(message);
      if (metadata) {
        summary.dataNames.push('onMetaData');
        if (!summary.metadata) {
          summary.metadata = metadata;
          summary.metadataIsEcmaArray = (metadata as { [AMF_ECMA_ARRAY]?: boolean })[AMF_ECMA_ARRAY] === true;
        }
      } else {
        const name = message.payload.length > 3 && message.payload[0] === 2 ? message.payload.toString('utf8', 3, 3 + message.payload.readUInt16BE(1)) : '?';
        summary.dataNames.push(name);
      }
      return;
    }
    if (message.type === 9) {
      const tag = parseVideoTag(message.payload);
      if (summary.videoCount === 0) summary.videoStartsWithSequenceHeader = tag.isSequenceHeader && tag.codec === 7;
      summary.videoCount++;
      summary.videoCodecs.add(tag.codec);
      if (tag.isSequenceHeader) {
        if (summary.avcSequenceHeaderAt < 0) summary.avcSequenceHeaderAt = index;
      } else if (tag.packetType === 1) {
        if (summary.firstCodedFrameAt < 0) summary.firstCodedFrameAt = index;
        if (tag.isKeyframe) summary.keyframes++;
      }
      if (video.length > 0 && message.timestamp < video[video.length - 1]!) {
        summary.backwards.push(['video', video.length, video[video.length - 1]!, message.timestamp]);
      }
      video.push(message.timestamp);
      return;
    }
    if (message.type === 8) {
      const tag = parseAudioTag(message.payload);
      if (summary.audioCount === 0) summary.audioStartsWithSequenceHeader = tag.isSequenceHeader && tag.soundFormat === 10;
      summary.audioCount++;
      summary.audioFormats.add(tag.soundFormat);
      if (tag.isSequenceHeader) {
        if (summary.aacSequenceHeaderAt < 0) summary.aacSequenceHeaderAt = index;
      } else if (summary.firstCodedFrameAt < 0) {
        summary.firstCodedFrameAt = index;
      }
      if (audio.length > 0 && message.timestamp < audio[audio.length - 1]!) {
        summary.backwards.push(['audio', audio.length, audio[audio.length - 1]!, message.timestamp]);
      }
      audio.push(message.timestamp);
    }
  });
  summary.videoSpanMs = span(video);
  summary.audioSpanMs = span(audio);
  summary.spanMs = span([...video, ...audio]);
  return summary;
}

/**
 * The checks every H.264 + AAC stream in these tests must pass: onMetaData (an ECMA array) with
 * the picture size and codec ids, each sequence header first on its track (and both before any
 * coded frame), keyframes, timestamps that never go backwards per track and span `spanMs`.
 */
export function expectH264AacStream(
  summary: MediaSummary,
  expected: {
    width: number;
    height: number;
    spanMs: [number, number];
    minKeyframes?: number;
    /** Default true; false for servers that rebuild it as an anonymous object (nginx-rtmp). */
    metadataIsEcmaArray?: boolean;
    /** Both sequence headers before the first coded frame of either track (default true); else per track only. */
    headersBeforeAnyFrame?: boolean;
  },
): void {
  const context = JSON.stringify({ ...summary, metadata: summary.metadata, videoCodecs: [...summary.videoCodecs], audioFormats: [...summary.audioFormats] });
  expect(summary.metadata, context).toBeDefined();
  expect(summary.metadataIsEcmaArray, 'onMetaData as an ECMA array (true) or an anonymous object (false)').toBe(expected.metadataIsEcmaArray ?? true);
  expect(summary.metadata).toMatchObject({ width: expected.width, height: expected.height, videocodecid: 7, audiocodecid: 10 });
  expect(summary.videoStartsWithSequenceHeader, context).toBe(true);
  expect(summary.audioStartsWithSequenceHeader, context).toBe(true);
  expect(summary.avcSequenceHeaderAt, context).toBeGreaterThanOrEqual(0);
  expect(summary.aacSequenceHeaderAt, context).toBeGreaterThanOrEqual(0);
  if (expected.headersBeforeAnyFrame ?? true) {
    expect(summary.firstCodedFrameAt, context).toBeGreaterThan(Math.max(summary.avcSequenceHeaderAt, summary.aacSequenceHeaderAt));
  }
  expect([...summary.videoCodecs]).toEqual([7]);
  expect([...summary.audioFormats]).toEqual([10]);
  expect(summary.keyframes, context).toBeGreaterThanOrEqual(expected.minKeyframes ?? 2);
  expect(summary.backwards, 'timestamps going backwards per track').toEqual([]);
  expect(summary.spanMs, context).toBeGreaterThanOrEqual(expected.spanMs[0]);
  expect(summary.spanMs, context).toBeLessThanOrEqual(expected.spanMs[1]);
}
