import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkDecoder, ChunkEncoder, type ChunkDecoderOptions } from '../src/chunk/index.js';
import { RtmpError } from '../src/errors/index.js';
import { randomSplit, seededRandom } from './fixtures/chunk/random.js';

// Whatever bytes arrive, the decoder may only hand out messages or throw an RtmpError: never a
// TypeError or RangeError, never a hang, and never more memory than its limits allow.

const small: ChunkDecoderOptions = {
  maxMessageSize: 4096,
  maxChunkSize: 65536,
  maxChunkStreams: 8,
  maxPartialMessages: 4,
  maxPartialBytes: 6000,
};
const optionSets: ChunkDecoderOptions[] = [
  {},
  { ...small, extendedTimestampOnType3: 'auto' },
  { ...small, extendedTimestampOnType3: 'always' },
  { ...small, extendedTimestampOnType3: 'never', chunkSize: 1 },
];

/** Feeds `parts`; checks every outcome is allowed. Returns how many messages came out. */
function feed(parts: readonly Uint8Array[], options: ChunkDecoderOptions): number {
  const decoder = new ChunkDecoder(options);
  const maxMessageSize = options.maxMessageSize ?? 8 * 1024 * 1024;
  const maxPartialBytes = options.maxPartialBytes ?? 32 * 1024 * 1024;
  let messages = 0;
  const wrong: string[] = []; // collected rather than asserted per message: floods are long
  const check = (ok: boolean, what: string) => {
    if (!ok) wrong.push(what);
  };
  for (const part of parts) {
    try {
      decoder.push(part, (message, csid) => {
        messages++;
        check(message.payload.length <= maxMessageSize, `payload of ${message.payload.length} bytes`);
        check(csid >= 2 && csid <= 65599, `csid ${csid}`);
        check(message.timestamp >>> 0 === message.timestamp, `timestamp ${message.timestamp}`);
      });
    } catch (error) {
      expect(RtmpError.isInstance(error), String(error)).toBe(true);
      expect(() => decoder.push(Buffer.from([0]), () => {})).toThrow(error as Error);
      break;
    }
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(maxPartialBytes);
  }
  expect(wrong).toEqual([]);
  return messages;
}

/** Valid fmt 0 headers (with and without the extended timestamp) to start deeper in the state machine. */
function preamble(random: (below: number) => number): Buffer {
  const encoder = new ChunkEncoder({ chunkSize: 16 });
  const parts = [3, 4, 70, 400].map((csid) =>
    encoder.encode(
      { type: 9, streamId: 1, timestamp: random(2) ? 0x01000000 + random(100) : random(100), payload: Buffer.alloc(random(40)) },
      csid,
    ),
  );
  return Buffer.concat(parts);
}

describe('random input', () => {
  it.each(optionSets.map((options, i) => [i, options] as const))('option set %i: random bytes', (_i, options) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer(), (bytes, seed) => {
        feed(randomSplit(Buffer.from(bytes), seededRandom(seed), 8), options);
      }),
      { numRuns: 150 },
    );
  });

  it.each(optionSets.map((options, i) => [i, options] as const))('option set %i: valid headers, then random bytes', (_i, options) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer(), (bytes, seed) => {
        const random = seededRandom(seed);
        feed(randomSplit(Buffer.concat([preamble(random), bytes]), random, 8), options);
      }),
      { numRuns: 150 },
    );
  });

  it.each(optionSets.map((options, i) => [i, options] as const))('option set %i: a valid stream with bytes changed', (_i, options) => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (seed, edits) => {
          const random = seededRandom(seed);
          const encoder = new ChunkEncoder({ chunkSize: 1 + random(200) });
          const stream = Buffer.concat(
            Array.from({ length: 12 }, (_, i) =>
              encoder.encode(
                { type: 8 + random(2), streamId: 1, timestamp: i * (random(2) ? 0x800000 : 20), payload: Buffer.alloc(random(500), i) },
                [3, 4, 64, 320][random(4)]!,
              ),
            ),
          );
          for (const [at, value] of edits) stream[at % stream.length] = value;
          feed(randomSplit(stream, random, 8), options);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a flood of tiny messages from fmt 3 bytes stays bounded', () => {
    // One empty message, then 20 000 "c3" bytes: each is another empty message.
    const bytes = Buffer.concat([Buffer.from('030000000000000800000000', 'hex'), Buffer.alloc(20_000, 0xc3)]);
    expect(feed([bytes], small)).toBe(20_001);
  });
});
