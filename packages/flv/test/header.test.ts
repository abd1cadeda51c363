import { LimitExceededError, RtmpProtocolError, TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { encodeFlvHeader, parseFlvHeader } from '../src/index.js';
import { readParts } from './helpers/collect.js';
import { hex } from './helpers/hex.js';

describe('FLV header', () => {
  it('reads signature, version, flags and DataOffset', () => {
    expect(parseFlvHeader(hex`46 4c 56  01  05  00 00 00 09`)).toEqual({ version: 1, hasAudio: true, hasVideo: true, dataOffset: 9 });
    expect(parseFlvHeader(hex`46 4c 56  01  04  00 00 00 09`)).toMatchObject({ hasAudio: true, hasVideo: false });
    expect(parseFlvHeader(hex`46 4c 56  01  01  00 00 00 09`)).toMatchObject({ hasAudio: false, hasVideo: true });
  });

  it('writes the header FFmpeg writes', () => {
    expect(encodeFlvHeader({ hasAudio: true, hasVideo: true })).toEqual(hex`46 4c 56 01 05 00 00 00 09`);
    expect(encodeFlvHeader({ hasAudio: false, hasVideo: true })).toEqual(hex`46 4c 56 01 01 00 00 00 09`);
    expect(encodeFlvHeader({ hasAudio: true, hasVideo: false })).toEqual(hex`46 4c 56 01 04 00 00 00 09`);
  });

  it('refuses what is not FLV 1', () => {
    expect(() => parseFlvHeader(hex`46 4c 57 01 05 00 00 00 09`)).toThrow(RtmpProtocolError);
    expect(() => parseFlvHeader(hex`46 4c 57 01 05 00 00 00 09`)).toThrow(/signature is 0x464c57/);
    expect(() => parseFlvHeader(hex`46 4c 56 02 05 00 00 00 09`)).toThrow(/version 2/);
    expect(() => parseFlvHeader(hex`46 4c 56 01 05 00 00 00 08`)).toThrow(/DataOffset is 8/);
    expect(() => parseFlvHeader(hex`46 4c 56 01 05 00 00 00`)).toThrow(TruncatedInputError);
  });

  it('skips the bytes between the header and a DataOffset above 9', () => {
    const file = hex`
      46 4c 56 01 01 00 00 00 0d    # DataOffset 13: four bytes of padding follow
      de ad be ef                   # padding a writer left (not a back pointer)
      00 00 00 00                   # PreviousTagSize0 at 13
      09 00 00 02 00 00 28 00 00 00 00  27 01  00 00 00 0d   # tag at 17: inter frame, ts 40
    `;
    const { tags, reader } = readParts([file]);
    expect(reader.header).toEqual({ version: 1, hasAudio: false, hasVideo: true, dataOffset: 13 });
    expect(tags).toEqual([{ type: 9, streamId: 0, timestamp: 40, offset: 17, payload: hex`27 01` }]);
    expect(reader.truncation).toBeUndefined();
  });

  it('checks maxTagSize against the header, before the body arrives', () => {
    const { reader } = readParts([], { maxTagSize: 4 });
    const start = hex`46 4c 56 01 05 00 00 00 09  00 00 00 00  08 00 00 05 00 00 00 00 00 00 00`;
    const error = (() => {
      try {
        reader.push(start, () => {});
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: 'maxTagSize', value: 4 });
  });

  it('rejects a maxTagSize an FLV tag cannot have', () => {
    expect(() => readParts([], { maxTagSize: 0x1000000 })).toThrow(RangeError);
    expect(() => readParts([], { maxTagSize: -1 })).toThrow(RangeError);
  });
});
