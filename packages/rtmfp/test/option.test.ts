import fc from 'fast-check';
import { ByteReader, RtmpProtocolError, TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { decodeOptionList, encodeOption, encodeOptionList, encodeVluOption, readOptionList } from '../src/index.js';
import { hex } from './helpers/hex.js';

describe('options and option lists (RFC 7016 §2.1.3)', () => {
  it('encodes the TC metadata option Flash sends on its control flow', () => {
    expect(encodeOption(0x00, hex`54 43 04 00`)).toEqual(hex`
      05            # length 5: the type VLU and 4 value bytes
      00            # type 0: per-flow metadata
      54 43 04 00   # "TC", options 04 (stream id present), stream id 0
    `);
  });

  it('encodes a VLU-valued option (return flow association to flow 2)', () => {
    expect(encodeVluOption(0x0a, 2)).toEqual(hex`02 0a 02`);
  });

  it('counts a multi-byte type in the length', () => {
    expect(encodeOption(0x2000, hex`ff`)).toEqual(hex`
      03       # length: 2 type bytes + 1 value byte
      c0 00    # type 0x2000 as a VLU
      ff       # value
    `);
  });

  it('stops at the marker when asked, and records where it was', () => {
    const reader = new ByteReader(hex`05 00 54 43 04 00  00  aa bb`);
    const list = readOptionList(reader, true);
    expect(list.options).toEqual([{ type: 0, value: hex`54 43 04 00` }]);
    expect(list.markerEnd).toBe(7);
    expect(reader.remaining).toBe(2);
  });

  it('skips markers when reading to the end, remembering the first', () => {
    const list = decodeOptionList(hex`02 15 02 00 02 15 0e 00`);
    expect(list.options.map((o) => o.value[0])).toEqual([2, 14]);
    expect(list.markerEnd).toBe(4);
  });

  it('refuses an unterminated list when a marker is required', () => {
    expect(() => readOptionList(new ByteReader(hex`02 15 02`), true)).toThrow(RtmpProtocolError);
  });

  it('refuses lengths past the end and an option without a type', () => {
    expect(() => decodeOptionList(hex`05 00 54`)).toThrow(TruncatedInputError);
    expect(() => decodeOptionList(hex`01 81`)).toThrow(TruncatedInputError); // the type VLU runs out of the option
  });

  it('round-trips any list of options', () => {
    const option = fc.record({ type: fc.nat({ max: 0x3fffff }), value: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) });
    fc.assert(
      fc.property(fc.array(option, { maxLength: 8 }), fc.boolean(), (options, marker) => {
        const bytes = encodeOptionList(options, marker);
        const list = readOptionList(new ByteReader(bytes), marker);
        expect(list.options).toEqual(options);
        expect(list.markerEnd).toBe(marker ? bytes.length : undefined);
      }),
    );
  });
});
