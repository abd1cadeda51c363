import { TruncatedInputError } from '@rtmpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readParts } from './helpers/collect.js';
import { SMALL_FILE, SMALL_FILE_TAG_ENDS, SMALL_FILE_TAGS } from './helpers/vectors.js';

const asHex = (tags: { payload: Buffer }[]) => tags.map((tag) => ({ ...tag, payload: tag.payload.toString('hex') }));

describe('FlvReader with the bytes split anywhere', () => {
  it('reads the same tags whatever single offset the input is split at', () => {
    for (let at = 0; at <= SMALL_FILE.length; at++) {
      const { tags, reader } = readParts([SMALL_FILE.subarray(0, at), SMALL_FILE.subarray(at)]);
      expect(asHex(tags), `split at ${at}`).toEqual(SMALL_FILE_TAGS);
      expect(reader.truncation, `split at ${at}`).toBeUndefined();
    }
  });

  it('reads the same tags fed one byte at a time', () => {
    const parts = Array.from(SMALL_FILE, (_, i) => SMALL_FILE.subarray(i, i + 1));
    const { tags, reader } = readParts(parts);
    expect(asHex(tags)).toEqual(SMALL_FILE_TAGS);
    expect(reader.validLength).toBe(SMALL_FILE.length);
  });

  it('reads the same tags for any set of split points', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: SMALL_FILE.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), SMALL_FILE.length];
        const parts = points.slice(1).map((end, i) => SMALL_FILE.subarray(points[i], end));
        expect(asHex(readParts(parts).tags)).toEqual(SMALL_FILE_TAGS);
      }),
    );
  });

  it('does not keep a view of a pushed buffer the caller then reuses', () => {
    const scratch = Buffer.alloc(SMALL_FILE.length);
    const reader = readParts([]).reader;
    const tags: string[] = [];
    for (let at = 0; at < SMALL_FILE.length; at += 10) {
      const length = SMALL_FILE.copy(scratch, 0, at, at + 10);
      reader.push(scratch.subarray(0, length), (tag) => tags.push(tag.payload.toString('hex')));
      scratch.fill(0xee); // as a socket or file read would overwrite it
    }
    expect(tags).toEqual(SMALL_FILE_TAGS.map((tag) => tag.payload));
  });

  it('after every cut, gives the complete tags and says where the valid part ends', () => {
    for (let at = 0; at < SMALL_FILE.length; at++) {
      const { tags, reader } = readParts([SMALL_FILE.subarray(0, at)]);
      const complete = SMALL_FILE_TAG_ENDS.filter((end) => end <= at).length;
      expect(tags.length, `cut at ${at}`).toBe(complete);
      const validLength = complete > 0 ? SMALL_FILE_TAG_ENDS[complete - 1]! : at >= 13 ? 13 : 0;
      expect(reader.validLength, `cut at ${at}`).toBe(validLength);
      const boundary = at === 13 || SMALL_FILE_TAG_ENDS.includes(at);
      if (boundary) {
        expect(reader.truncation, `cut at ${at}`).toBeUndefined();
        expect(() => reader.end()).not.toThrow();
      } else {
        expect(reader.truncation, `cut at ${at}`).toEqual({ validLength, bytes: at - validLength, inside: at < 13 ? 'header' : 'tag' });
        expect(() => reader.end(), `cut at ${at}`).toThrow(TruncatedInputError);
      }
    }
  });
});
