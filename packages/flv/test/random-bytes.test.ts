import { writeFileSync } from 'node:fs';
import { RtmpError } from '@rtmpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlvReader, indexFlvFile, type FlvReaderOptions } from '../src/index.js';
import { flvBytes, publishedStream } from './helpers/media.js';
import { useTempDir } from './helpers/temp-dir.js';

// Whatever bytes come in, the reader and the index may only give tags or throw an RtmpError:
// never a TypeError or RangeError, never a tag bigger than the limit.

const path = useTempDir();
const VALID_START = Buffer.from('464c56010500000009' + '00000000', 'hex'); // header + PreviousTagSize0
const options: FlvReaderOptions[] = [{}, { maxTagSize: 64 }, { tolerateBadBackPointers: true }];

function feed(bytes: Buffer, cuts: number[], option: FlvReaderOptions): void {
  const reader = new FlvReader(option);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const to of [...points, bytes.length]) {
      reader.push(bytes.subarray(from, to), (tag) => {
        expect(tag.payload.length).toBeLessThanOrEqual(option.maxTagSize ?? 0xffffff);
        expect([8, 9, 15, 18]).toContain(tag.type);
      });
      from = to;
    }
    reader.end();
  } catch (error) {
    expect(RtmpError.isInstance(error), String(error)).toBe(true);
  }
}

/** A real little file to damage. */
const validFile = () => flvBytes(publishedStream({ seconds: 0.3 }));

describe('random input', () => {
  it.each(options.map((option, i) => [i, option] as const))('option set %i: random bytes', (_i, option) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => feed(Buffer.from(bytes), cuts, option)),
      { numRuns: 300 },
    );
  });

  it.each(options.map((option, i) => [i, option] as const))('option set %i: a valid header, then random bytes', (_i, option) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) =>
        feed(Buffer.concat([VALID_START, bytes]), cuts, option),
      ),
      { numRuns: 300 },
    );
  });

  it.each(options.map((option, i) => [i, option] as const))('option set %i: a valid file with bytes changed', (_i, option) => {
    const file = validFile();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), (edits, cuts) => {
        const damaged = Buffer.from(file);
        for (const [at, value] of edits) damaged[at % damaged.length] = value;
        feed(damaged, cuts, option);
      }),
      { numRuns: 300 },
    );
  });

  it('indexing a damaged file only ends in an RtmpError', async () => {
    const file = validFile();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 5 }), fc.boolean(), async (edits, stop) => {
        const damaged = Buffer.from(file);
        for (const [at, value] of edits) damaged[at % damaged.length] = value;
        writeFileSync(path('damaged.flv'), damaged);
        try {
          const index = await indexFlvFile(path('damaged.flv'), { truncated: stop ? 'stop' : 'error' });
          expect(index.validLength).toBeLessThanOrEqual(damaged.length);
        } catch (error) {
          expect(RtmpError.isInstance(error), String(error)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
