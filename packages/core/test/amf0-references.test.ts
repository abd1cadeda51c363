import { describe, expect, it } from 'vitest';
import { ecmaArray, typedObject, type AmfObject, type AmfValue } from '../src/amf/amf-value.js';
import {
  createAmf0DecodeContext,
  decodeAmf0,
  decodeAmf0Values,
  encodeAmf0,
  encodeAmf0Values,
  readAmf0,
} from '../src/amf/amf0/index.js';
import { ByteReader } from '../src/bytes/index.js';
import { AmfDecodeError } from '../src/errors/index.js';
import { hex } from './helpers/hex.js';

describe('AMF0 references (0x07) when decoding', () => {
  it('numbers objects, typed objects, ECMA arrays and strict arrays as they start; dates do not count', () => {
    const values = decodeAmf0Values(hex`
      0a 00 00 00 03         # strict array, index 0, count 3
        03                   # object, index 1
          00 01 64 0b 00 00 00 00 00 00 00 00 00 00  # "d": Date 0 (takes no index)
        00 00 09
        08 00 00 00 00       # ECMA array, index 2
        00 00 09
        10 00 01 54          # typed object "T", index 3
        00 00 09
      07 00 03               # reference 3 -> the typed object
      07 00 02               # reference 2 -> the ECMA array
      07 00 01               # reference 1 -> the object
      07 00 00               # reference 0 -> the strict array
    `);
    const [array, typed, ecma, object, again] = values as [AmfValue[], ...AmfValue[]];
    expect(typed).toBe(array[2]);
    expect(ecma).toBe(array[1]);
    expect(object).toBe(array[0]);
    expect(again).toBe(array);
  });

  it('resolves a reference inside an object to that same object (a cycle)', () => {
    const value = decodeAmf0(hex`
      03                     # object, index 0
        00 04 73 65 6c 66    # "self"
        07 00 00             # reference 0 -> the object being read
      00 00 09
    `) as AmfObject;
    expect(value.self).toBe(value);
  });

  it('resolves a strict array that contains itself', () => {
    const value = decodeAmf0(hex`0a 00 00 00 01  07 00 00  # array, index 0, holding reference 0`) as AmfValue[];
    expect(value[0]).toBe(value);
  });

  it('shares one table across the values of a body, and readAmf0 with one context does too', () => {
    const body = hex`
      03 00 01 61 00 3f f0 00 00 00 00 00 00 00 00 09  # {a: 1}, index 0
      07 00 00                                         # reference 0
    `;
    const [first, second] = decodeAmf0Values(body);
    expect(second).toBe(first);

    const reader = new ByteReader(body);
    const context = createAmf0DecodeContext();
    const one = readAmf0(reader, context);
    expect(readAmf0(reader, context)).toBe(one);
    expect(context.references).toEqual([one]);
  });

  it('rejects a reference to an index not read yet', () => {
    expect(() => decodeAmf0(hex`07 00 00  # reference 0 with an empty table`)).toThrow(AmfDecodeError);
    expect(() => decodeAmf0Values(hex`03 00 00 09  07 00 01  # one object, reference 1`)).toThrow(AmfDecodeError);
  });

  it('starts a fresh table for each decode call', () => {
    decodeAmf0(hex`03 00 00 09`);
    expect(() => decodeAmf0(hex`07 00 00`)).toThrow(AmfDecodeError);
  });
});

describe('AMF0 references (0x07) when encoding', () => {
  it('writes an object that appears again as a reference', () => {
    const shared = { a: 1 };
    expect(encodeAmf0([shared, shared])).toEqual(hex`
      0a 00 00 00 02                    # strict array, index 0, count 2
        03                              # object, index 1
          00 01 61 00 3f f0 00 00 00 00 00 00  # "a": 1
        00 00 09
        07 00 01                        # the same object again -> reference 1
    `);
  });

  it('encodes a cycle through an object', () => {
    const node: AmfObject = { name: 'n' };
    node.self = node;
    const bytes = encodeAmf0(node);
    expect(bytes).toEqual(hex`
      03                                # object, index 0
        00 04 6e 61 6d 65 02 00 01 6e   # "name": "n"
        00 04 73 65 6c 66 07 00 00      # "self": reference 0
      00 00 09
    `);
    const decoded = decodeAmf0(bytes) as AmfObject;
    expect(decoded.self).toBe(decoded);
    expect(decoded.name).toBe('n');
  });

  it('encodes a cycle through arrays, typed objects and ECMA arrays', () => {
    const list: AmfValue[] = [];
    const typed = typedObject('Box', { list });
    const ecma = ecmaArray({ typed });
    list.push(ecma);
    const decoded = decodeAmf0(encodeAmf0(typed)) as AmfObject;
    const decodedList = decoded.list as AmfValue[];
    expect(((decodedList[0] as AmfObject).typed as AmfObject)).toBe(decoded);
  });

  it('references an object repeated across the values of one body', () => {
    const info = { code: 'x' };
    const bytes = encodeAmf0Values(['a', info, info]);
    expect(bytes.subarray(bytes.length - 3)).toEqual(hex`07 00 00  # the second info -> reference 0`);
    const [, first, second] = decodeAmf0Values(bytes);
    expect(second).toBe(first);
  });

  it('does not reference dates or strings, which AMF0 never numbers', () => {
    const date = new Date(5);
    const bytes = encodeAmf0Values([date, date, 'same', 'same']);
    expect(bytes.includes(0x07)).toBe(false);
    expect(bytes.length).toBe(11 + 11 + 7 + 7);
  });

  it('writes an object again inline once its index passes the U16 limit', () => {
    // 65536 distinct objects take indices 0..65535; the next one gets 65536, too big for 0x07.
    const fillers = Array.from({ length: 0x10000 }, () => ({}));
    const late = { late: true };
    const bytes = encodeAmf0Values([...fillers, late, late]);
    const decoded = decodeAmf0Values(bytes);
    expect(decoded).toHaveLength(0x10002);
    expect(decoded[0x10001]).toStrictEqual(late);
    expect(decoded[0x10001]).not.toBe(decoded[0x10000]); // written twice, so two objects
    // An early object is still referenced once the table has grown past the limit.
    const early = encodeAmf0Values([...fillers, late, fillers[0]!]);
    expect(early.subarray(early.length - 3)).toEqual(hex`07 00 00  # reference 0`);
  });
});
