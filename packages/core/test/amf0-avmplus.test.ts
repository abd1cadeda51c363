import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMF_UNSUPPORTED,
  AmfVector,
  AmfXml,
  AmfXmlDocument,
  ecmaArray,
  isEcmaArray,
  type AmfObject,
  type AmfValue,
} from '../src/amf/amf-value.js';
import { decodeAmf0, decodeAmf0Values, encodeAmf0, encodeAmf0Values } from '../src/amf/amf0/index.js';
import {
  FLEX_ARRAY_COLLECTION,
  arrayCollection,
  createExternalizableRegistry,
  decodeAmf3,
  encodeAmf3,
} from '../src/amf/amf3/index.js';
import { AmfDecodeError, LimitExceededError } from '../src/errors/index.js';
import { amf0Tree } from './fixtures/amf0/amf0-arbitraries.js';
import { hex } from './helpers/hex.js';

const flexArrayCollectionName = Buffer.from(FLEX_ARRAY_COLLECTION).toString('hex');

describe('AVM+ switch (0x11) when decoding', () => {
  it('reads one AMF3 value after the switch', () => {
    expect(
      decodeAmf0(hex`
        11                   # AVM+ switch
        0a 0b 01             # AMF3 object, inline dynamic traits, no sealed members, class ""
        03 61                # dynamic member name "a"
        04 01                # AMF3 integer 1
        01                   # empty name: end of dynamic members
      `),
    ).toStrictEqual({ a: 1 });
  });

  it('covers that one value only: the next value is AMF0 again', () => {
    expect(
      decodeAmf0Values(hex`
        11 06 05 68 69       # AVM+ switch, AMF3 string "hi"
        02 00 01 78          # AMF0 string "x"
        11 04 7f             # AVM+ switch, AMF3 integer 127
      `),
    ).toStrictEqual(['hi', 'x', 127]);
  });

  it('starts fresh AMF3 tables for each switched value', () => {
    const bytes = hex`
      11 06 05 68 69         # AMF3 string "hi" (string table index 0 in this value)
      11 06 00               # AMF3 string reference 0: a new value, so an empty table
    `;
    expect(() => decodeAmf0Values(bytes)).toThrow(AmfDecodeError);
  });

  it('gives the switched value no slot in the AMF0 reference table', () => {
    const bytes = hex`
      03 00 00 09            # AMF0 object, index 0
      11 0a 0b 01 01         # AMF3 empty object: not numbered in the AMF0 table
      07 00 00               # reference 0 -> the AMF0 object
    `;
    const [first, switched, again] = decodeAmf0Values(bytes);
    expect(again).toBe(first);
    expect(switched).not.toBe(first);
    expect(() => decodeAmf0Values(Buffer.concat([bytes, hex`07 00 01  # no index 1`]))).toThrow(AmfDecodeError);
  });

  it('hands the amf3 options to the AMF3 decoder: externalizables', () => {
    const bytes = hex`
      11                     # AVM+ switch
      0a 07                  # AMF3 object, externalizable traits inline
      43 ${flexArrayCollectionName}  # class name, 33 bytes: "flex.messaging.io.ArrayCollection"
      09 03 01 04 05         # its body: AMF3 array, 1 dense element, integer 5
    `;
    expect(decodeAmf0(bytes)).toStrictEqual(arrayCollection([5]));
    const withoutFlex = { amf3: { externalizables: createExternalizableRegistry({ flex: false }) } };
    expect(() => decodeAmf0(bytes, withoutFlex)).toThrow(AmfDecodeError);
  });

  it('hands the amf3 options to the AMF3 decoder: maxDepth', () => {
    const bytes = hex`11 09 03 01 09 01 01  # AMF3 array holding one empty array`;
    expect(decodeAmf0(bytes)).toStrictEqual([[]]);
    expect(() => decodeAmf0(bytes, { amf3: { maxDepth: 1 } })).toThrow(LimitExceededError);
  });

  it('reads a switched value inside an AMF0 object', () => {
    expect(
      decodeAmf0(hex`
        03 00 01 62          # AMF0 object, name "b"
        11 0c 05 ca fe       # AVM+ switch, AMF3 ByteArray of 2 bytes
        00 00 09
      `),
    ).toStrictEqual({ b: Buffer.from([0xca, 0xfe]) });
  });
});

describe('AVM+ switch (0x11) when encoding', () => {
  const arrayWithKey = Object.assign([1], { k: 2 });
  const automatic: Array<[string, AmfValue, Buffer]> = [
    ['a Uint8Array', Uint8Array.from([1, 2, 3]), hex`11 0c 07 01 02 03  # switch, ByteArray, length 3`],
    ['a Map', new Map([['k', 1]]), hex`11 11 03 00 06 03 6b 04 01  # switch, Dictionary, 1 entry, weak 0, "k" -> 1`],
    ['an AmfVector', new AmfVector('int', [1, -1]), hex`11 0d 05 00 00000001 ffffffff  # switch, Vector.<int>, 2, fixed 0`],
    ['an AmfXml', new AmfXml('<a/>'), hex`11 0b 09 3c 61 2f 3e  # switch, XML, 4 bytes "<a/>"`],
    ['an array with a string key', arrayWithKey, hex`11 09 03 03 6b 04 02 01 04 01  # switch, array: k=2, then [1]`],
  ];
  for (const [name, value, bytes] of automatic) {
    it(`writes ${name} through the switch automatically`, () => {
      expect(encodeAmf0(value).toString('hex')).toBe(bytes.toString('hex'));
    });
  }

  it('switches only the value that needs it, inside an AMF0 object', () => {
    expect(encodeAmf0({ b: Uint8Array.from([7]) })).toEqual(hex`
      03 00 01 62            # AMF0 object, name "b"
      11 0c 03 07            # AVM+ switch, AMF3 ByteArray [7]
      00 00 09               # AMF0 object end
    `);
  });

  it('with avmplus, writes objects and arrays as AMF3 and keeps scalars AMF0', () => {
    const bytes = encodeAmf0Values(['call', 2, null, { a: 1 }, [1], undefined, new Date(0), new AmfXmlDocument('')], {
      avmplus: true,
    });
    expect(bytes.toString('hex')).toBe(
      hex`
        02 00 04 63 61 6c 6c            # AMF0 string "call"
        00 40 00 00 00 00 00 00 00      # AMF0 number 2
        05                              # AMF0 null
        11 0a 0b 01 03 61 04 01 01      # switch, AMF3 object {a: 1}
        11 09 03 01 04 01               # switch, AMF3 array [1]
        06                              # AMF0 undefined
        0b 00 00 00 00 00 00 00 00 00 00  # AMF0 date 0, time zone 0
        0f 00 00 00 00                  # AMF0 XML document ""
      `.toString('hex'),
    );
  });

  it('with avmplus, an ECMA array becomes an AMF3 array with named members', () => {
    expect(encodeAmf0(ecmaArray({ a: 1 }), { avmplus: true })).toEqual(hex`11 09 01 03 61 04 01 01`);
  });

  it('with avmplus, sharing inside one value survives and each value gets fresh tables', () => {
    const shared = { s: 1 };
    const [pair, again] = decodeAmf0Values(encodeAmf0Values([[shared, shared], shared], { avmplus: true })) as [
      AmfValue[],
      AmfObject,
    ];
    expect(pair[0]).toBe(pair[1]);
    expect(again).toStrictEqual(shared);
    expect(again).not.toBe(pair[0]);
  });

  it('hands the amf3 options to the AMF3 encoder', () => {
    expect(() => encodeAmf0({}, { avmplus: true, amf3: { maxDepth: 0 } })).toThrow(LimitExceededError);
  });
});

/**
 * Values the comparison below can use: AMF3 has no "unsupported" value, so values holding it
 * cannot go through the switch; and toStrictEqual reads an own `constructor` key as the type,
 * so two equal objects with such a key look different to it (prototype safety is tested apart).
 * An ECMA array keyed "length" is left out too: the AMF3 codec writes it as an AMF3 array
 * and its decoder refuses that key (an AMF3 matter, reported).
 */
function comparable(value: AmfValue, seen = new Set<object>()): boolean {
  if (value === AMF_UNSUPPORTED) return false;
  if (typeof value !== 'object' || value === null || seen.has(value)) return true;
  seen.add(value);
  if (Object.hasOwn(value, 'constructor') || (isEcmaArray(value) && Object.hasOwn(value, 'length'))) return false;
  return Object.values(value).every((item: AmfValue) => comparable(item, seen));
}

describe('AVM+ round trips (fast-check)', () => {
  it('a switched value decodes as the AMF3 codec alone decodes it', () => {
    const values = amf0Tree({ longStrings: false }).filter((value) => comparable(value));
    fc.assert(
      fc.property(values, (value) => {
        const viaAmf0 = decodeAmf0(encodeAmf0(value, { avmplus: true }));
        const isSwitched = typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof AmfXmlDocument);
        const expected = isSwitched ? decodeAmf3(encodeAmf3(value)) : decodeAmf0(encodeAmf0(value));
        expect(viaAmf0).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('0x11 plus any AMF3 encoding decodes to what decodeAmf3 gives', () => {
    const values = amf0Tree({ longStrings: false }).filter((value) => comparable(value));
    fc.assert(
      fc.property(values, (value) => {
        const amf3 = encodeAmf3(value);
        expect(decodeAmf0(Buffer.concat([hex`11`, amf3]))).toStrictEqual(decodeAmf3(amf3));
      }),
      { numRuns: 200 },
    );
  });
});
