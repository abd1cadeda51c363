import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../src/bytes/index.js';
import { AmfEncodeError, TruncatedInputError } from '../src/errors/index.js';
import { decodeAmf3, encodeAmf3 } from '../src/amf/amf3/index.js';
import {
  INT29_MAX,
  INT29_MIN,
  U29_MAX,
  isInt29,
  readInt29,
  readU29,
  writeInlineHeader,
  writeInt29,
  writeU29,
} from '../src/amf/amf3/u29.js';
import { hex } from './helpers/hex.js';

function u29Bytes(value: number): Buffer {
  const writer = new ByteWriter();
  writeU29(writer, value);
  return Buffer.from(writer.finish());
}

// The range boundaries of the U29 table in AMF3 spec §1.3.1 (with the 4-byte range ending at
// 0x1FFFFFFF: 3 × 7 + 8 bits).
const SPEC_TABLE: Array<[number, Buffer]> = [
  [0x00, hex`00`], //                       0xxxxxxx
  [0x7f, hex`7f`], //                       largest 1-byte value
  [0x80, hex`81 00`], //                    1xxxxxxx 0xxxxxxx
  [0x3fff, hex`ff 7f`], //                  largest 2-byte value
  [0x4000, hex`81 80 00`], //               1xxxxxxx 1xxxxxxx 0xxxxxxx
  [0x1fffff, hex`ff ff 7f`], //             largest 3-byte value
  [0x200000, hex`80 c0 80 00`], //          1xxxxxxx 1xxxxxxx 1xxxxxxx xxxxxxxx (last byte: all 8 bits)
  [0x1fffffff, hex`ff ff ff ff`], //        largest U29
];

describe('U29', () => {
  it.each(SPEC_TABLE)('writes %i in its shortest form', (value, bytes) => {
    expect(u29Bytes(value)).toEqual(bytes);
  });

  it.each(SPEC_TABLE)('reads %i back', (value, bytes) => {
    const reader = new ByteReader(bytes);
    expect(readU29(reader)).toBe(value);
    expect(reader.remaining).toBe(0);
  });

  it('reads the fourth byte as 8 bits, not 7', () => {
    // 80 80 81 ff: groups 0, 0, 1 then a full byte 0xff = (1 << 8) | 0xff
    expect(readU29(new ByteReader(hex`80 80 81 ff`))).toBe(0x1ff);
  });

  it('accepts non-minimal forms on read', () => {
    expect(readU29(new ByteReader(hex`80 00`))).toBe(0);
    expect(readU29(new ByteReader(hex`80 80 80 00`))).toBe(0);
  });

  it.each([U29_MAX + 1, 0x3fffffff, -1, 1.5, Number.NaN])('refuses to write %d', (value) => {
    expect(() => writeU29(new ByteWriter(), value)).toThrow(AmfEncodeError);
  });

  it.each([hex`81`, hex`ff ff`, hex`ff ff ff`, hex``])('a U29 cut short is a TruncatedInputError (%s)', (bytes) => {
    expect(() => readU29(new ByteReader(bytes))).toThrow(TruncatedInputError);
  });

  it('round-trips every value with the byte count of its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: U29_MAX }), (value) => {
        const bytes = u29Bytes(value);
        const expectedLength = value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : 4;
        expect(bytes.length).toBe(expectedLength);
        expect(readU29(new ByteReader(bytes))).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('an inline header refuses counts of 2^28 and more', () => {
    const writer = new ByteWriter();
    writeInlineHeader(writer, 0x0fffffff, 'test');
    expect(writer.finish()).toEqual(hex`ff ff ff ff`); // (0x0fffffff << 1) | 1
    expect(() => writeInlineHeader(new ByteWriter(), 0x10000000, 'test')).toThrow(AmfEncodeError);
  });
});

describe('29-bit integers', () => {
  it.each<[number, Buffer]>([
    [0, hex`00`],
    [1, hex`01`],
    [-1, hex`ff ff ff ff`], //                       0x1fffffff: all 29 bits set
    [INT29_MAX, hex`bf ff ff ff`], //                0x0fffffff
    [INT29_MIN, hex`c0 80 80 00`], //                0x10000000: only the sign bit (bit 28)
    [-2, hex`ff ff ff fe`],
    [0x80, hex`81 00`],
  ])('%i is %s in two’s complement', (value, bytes) => {
    const writer = new ByteWriter();
    writeInt29(writer, value);
    expect(writer.finish()).toEqual(bytes);
    expect(readInt29(new ByteReader(bytes))).toBe(value);
  });

  it('isInt29 draws the line at −2^28..2^28−1, integers only, not −0', () => {
    expect(isInt29(INT29_MIN)).toBe(true);
    expect(isInt29(INT29_MAX)).toBe(true);
    expect(isInt29(INT29_MIN - 1)).toBe(false);
    expect(isInt29(INT29_MAX + 1)).toBe(false);
    expect(isInt29(0.5)).toBe(false);
    expect(isInt29(-0)).toBe(false);
    expect(isInt29(Number.NaN)).toBe(false);
  });

  it('numbers in range go as integer (0x04), the rest as double (0x05)', () => {
    expect(encodeAmf3(INT29_MAX)).toEqual(hex`04 bf ff ff ff`);
    expect(encodeAmf3(INT29_MIN)).toEqual(hex`04 c0 80 80 00`);
    expect(encodeAmf3(INT29_MAX + 1)).toEqual(hex`05 41 b0 00 00 00 00 00 00`); // 2^28 as a double
    expect(encodeAmf3(INT29_MIN - 1)).toEqual(hex`05 c1 b0 00 00 01 00 00 00`); // −2^28 − 1
    expect(encodeAmf3(0.5)).toEqual(hex`05 3f e0 00 00 00 00 00 00`);
    expect(encodeAmf3(-0)).toEqual(hex`05 80 00 00 00 00 00 00 00`); // keeps its sign
  });

  it('round-trips every integer in range through the integer marker', () => {
    fc.assert(
      fc.property(fc.integer({ min: INT29_MIN, max: INT29_MAX }), (value) => {
        const bytes = encodeAmf3(value);
        expect(bytes[0]).toBe(0x04);
        expect(decodeAmf3(bytes)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any double, −0 and NaN included', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(Object.is(decodeAmf3(encodeAmf3(value)), value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
