import { parseAudioTag, parseVideoTag, type AmfValue, type RtmpMessage } from '@rtmpkit/core';
import { expect } from 'vitest';
import { metadataOf } from './flv-tags.js';

/** A received stream reduced to what the interop tests check. */
export interface MediaSummary {
  metadata: Record<string, AmfValue> | undefined;
  videoCount: number;
  audioCount: number;
  /** The first video message is the AVC sequence header, the first audio one the AAC one. */
  videoStartsWithSequenceHeader: boolean;
  audioStartsWithSequenceHeader: boolean;
  keyframes: number;
  /** From the first to the last audio/video timestamp. */
  spanMs: number;
}

/** Reads the messages of one publish or play, in arrival order. */
export function summarize(messages: Array<Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>>): MediaSummary {
  const summary: MediaSummary = {
    metadata: undefined,
    videoCount: 0,
    audioCount: 0,
    videoStartsWithSequenceHeader: false,
    audioStartsWithSequenceHeader: false,
    keyframes: 0,
    spanMs: 0,
  };
  const stamps: number[] = [];
  for (const message of messages) {
    if (message.type === 18 || message.type === 15) {
      summary.metadata ??= metadataOf(message);
    } else if (message.type === 9) {
      const tag = parseVideoTag(message.payload);
      if (summary.videoCount++ === 0) summary.videoStartsWithSequenceHeader = tag.isSequenceHeader && tag.codec === 7;
      if (tag.packetType === 1 && tag.isKeyframe) summary.keyframes++;
      stamps.push(message.timestamp);
    } else if (message.type === 8) {
      const tag = parseAudioTag(message.payload);
      if (summary.audioCount++ === 0) summary.audioStartsWithSequenceHeader = tag.isSequenceHeader && tag.soundFormat === 10;
      stamps.push(message.timestamp);
    }
  }
  summary.spanMs = stamps.length === 0 ? 0 : Math.max(...stamps) - Math.min(...stamps);
  return summary;
}

/** onMetaData with the picture size, H.264 and AAC each starting with its sequence header, keyframes, and a span in range. */
export function expectH264AacStream(summary: MediaSummary, expected: { width: number; height: number; spanMs: [number, number]; minKeyframes: number }): void {
  const context = JSON.stringify(summary);
  expect(summary.metadata, context).toMatchObject({ width: expected.width, height: expected.height, videocodecid: 7, audiocodecid: 10 });
  expect(summary.videoStartsWithSequenceHeader, context).toBe(true);
  expect(summary.audioStartsWithSequenceHeader, context).toBe(true);
  expect(summary.keyframes, context).toBeGreaterThanOrEqual(expected.minKeyframes);
  expect(summary.spanMs, context).toBeGreaterThanOrEqual(expected.spanMs[0]);
  expect(summary.spanMs, context).toBeLessThanOrEqual(expected.spanMs[1]);
}
