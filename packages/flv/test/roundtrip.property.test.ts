import type { RtmpMessage } from '@rtmpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flvTagSize, FlvWriter } from '../src/index.js';
import { readParts } from './helpers/collect.js';

/** Audio, video and data messages with any timestamp and body (data bodies start with an AMF0 string, as all data does). */
const messageArb: fc.Arbitrary<RtmpMessage> = fc.record({
  type: fc.constantFrom(8, 9, 18),
  streamId: fc.integer({ min: 0, max: 0xffffff }),
  timestamp: fc.oneof(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0xffffffff })),
  payload: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
}).map((message) => (message.type === 18 ? { ...message, payload: Buffer.concat([Buffer.from([2, 0, 1, 0x78]), message.payload]) } : message));

/** Cuts `bytes` at the given points (any order, duplicates allowed). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
}

describe('writer → reader round trip', () => {
  it('reads back every message: type, timestamp, payload, at the offsets the sizes predict', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (messages, points) => {
        const writer = new FlvWriter();
        const file = Buffer.concat([writer.header(), ...messages.map((message) => writer.write(message))]);
        const { tags, reader } = readParts(cut(file, points));
        let offset = 13;
        const expected = messages.map((message) => {
          const tag = { type: message.type, streamId: 0, timestamp: message.timestamp, payload: message.payload, offset };
          offset += flvTagSize(message.payload.length);
          return tag;
        });
        expect(tags).toEqual(expected);
        expect(reader.truncation).toBeUndefined();
        expect(reader.validLength).toBe(file.length);
      }),
      { numRuns: 300 },
    );
  });

  it('with rebasing, the first media message is at 0 and the spacing of later ones is kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfffff000 }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }), (start, gaps) => {
        const writer = new FlvWriter({ rebaseTimestamps: true });
        let at = start;
        const messages = gaps.map((gap) => ({ type: 9, streamId: 1, timestamp: (at += gap), payload: Buffer.from([0x27]) }));
        const file = Buffer.concat([writer.header(), ...messages.map((message) => writer.write(message))]);
        const stamps = readParts([file]).tags.map((tag) => tag.timestamp);
        expect(stamps).toEqual(messages.map((message) => message.timestamp - messages[0]!.timestamp));
      }),
    );
  });
});
