import { addSetDataFrame, decodeAmf0Values, ecmaArray, encodeAmf0Values, encodeData } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { decodeOnMetaData, isOnMetaData, locateMetadataNumbers } from '../src/index.js';
import { ascii, hex } from './helpers/hex.js';

describe('onMetaData numbers', () => {
  it('finds where each top-level number sits', () => {
    const body = hex`
      02 00 0a ${ascii('onMetaData')}           # 0..12
      08 00 00 00 02                             # 13..17 ECMA array
      00 08 ${ascii('duration')} 00              # 18..28: name, then the number marker at 28
      40 08 00 00 00 00 00 00                    # 29..36: 3.0
      00 06 ${ascii('encode')} 02 00 01 ${ascii('x')}   # a string in between
      00 08 ${ascii('filesize')} 00 41 00 00 00 00 00 00 00
      00 00 09
    `;
    const numbers = locateMetadataNumbers(body)!;
    expect([...numbers.keys()]).toEqual(['duration', 'filesize']);
    expect(numbers.get('duration')).toBe(29);
    expect(body.readDoubleBE(numbers.get('duration')!)).toBe(3);
    expect(body.readDoubleBE(numbers.get('filesize')!)).toBe(131072);
  });

  it('walks past nested objects, arrays and references to reach later numbers', () => {
    const nested = { a: [1, 2, { b: 'c' }], d: new Date(0) };
    const meta = ecmaArray({ first: nested, again: nested, duration: 12.5, tail: 'x', filesize: 99 });
    const body = encodeAmf0Values(['onMetaData', meta]);
    const numbers = locateMetadataNumbers(body)!;
    expect(body.readDoubleBE(numbers.get('duration')!)).toBe(12.5);
    expect(body.readDoubleBE(numbers.get('filesize')!)).toBe(99);
    // Rewriting in place keeps the rest of the metadata as it was.
    body.writeDoubleBE(42, numbers.get('duration')!);
    expect(decodeAmf0Values(body)[1]).toEqual({ ...meta, duration: 42 });
  });

  it('also reads metadata written as a plain object', () => {
    const body = encodeAmf0Values(['onMetaData', { duration: 1 }]);
    expect(body.readDoubleBE(locateMetadataNumbers(body)!.get('duration')!)).toBe(1);
  });

  it('gives nothing for other data or metadata that does not decode', () => {
    expect(locateMetadataNumbers(encodeAmf0Values(['onCuePoint', { duration: 1 }]))).toBeUndefined();
    expect(locateMetadataNumbers(encodeAmf0Values(['onMetaData', 'text']))).toBeUndefined();
    const cut = encodeAmf0Values(['onMetaData', ecmaArray({ duration: 1, more: 'x' })]);
    expect(locateMetadataNumbers(cut.subarray(0, cut.length - 5))).toBeUndefined();
  });

  it('tells onMetaData from other data and decodes it, with or without @setDataFrame', () => {
    expect(isOnMetaData(encodeAmf0Values(['onMetaData', {}]))).toBe(true);
    expect(isOnMetaData(encodeAmf0Values(['onMetaDatum', {}]))).toBe(false);
    const wrapped = encodeData(addSetDataFrame({ name: 'onMetaData', values: [ecmaArray({ width: 320 })] }), { streamId: 1 });
    expect(decodeOnMetaData(wrapped)).toEqual(ecmaArray({ width: 320 }));
    expect(decodeOnMetaData({ type: 18, payload: hex`02 00 0a ${ascii('onMetaData')} 08 00` })).toBeUndefined();
  });
});
