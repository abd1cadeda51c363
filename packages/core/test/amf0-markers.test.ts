import { describe, expect, it } from 'vitest';
import {
  AMF_CLASS_NAME,
  AMF_ECMA_ARRAY,
  AMF_UNSUPPORTED,
  AmfXmlDocument,
  ecmaArray,
  typedObject,
  type AmfValue,
} from '../src/amf/amf-value.js';
import { decodeAmf0, decodeAmf0Values, encodeAmf0, encodeAmf0Values } from '../src/amf/amf0/index.js';
import { AmfDecodeError, AmfEncodeError, TruncatedInputError } from '../src/errors/index.js';
import { hex } from './helpers/hex.js';

/** Byte vectors that must decode to `value` and that `value` must encode to. */
const vectors: Array<{ name: string; bytes: Buffer; value: AmfValue }> = [
  { name: 'number 1.5', bytes: hex`00 3f f8 00 00 00 00 00 00  # Number, IEEE-754 double 1.5`, value: 1.5 },
  { name: 'number -0', bytes: hex`00 80 00 00 00 00 00 00 00  # Number, sign bit only: -0`, value: -0 },
  { name: 'boolean true', bytes: hex`01 01  # Boolean, 1 = true`, value: true },
  { name: 'boolean false', bytes: hex`01 00  # Boolean, 0 = false`, value: false },
  { name: 'empty string', bytes: hex`02 00 00  # String, U16 length 0`, value: '' },
  { name: 'null', bytes: hex`05  # Null`, value: null },
  { name: 'undefined', bytes: hex`06  # Undefined`, value: undefined },
  { name: 'unsupported', bytes: hex`0d  # Unsupported`, value: AMF_UNSUPPORTED },
  {
    name: 'object',
    bytes: hex`
      03                   # Object
      00 01 61             # name "a"
      00 3f f0 00 00 00 00 00 00  # Number 1
      00 01 62             # name "b"
      02 00 01 78          # String "x"
      00 00 09             # empty name + object end
    `,
    value: { a: 1, b: 'x' },
  },
  { name: 'empty object', bytes: hex`03 00 00 09  # Object, then at once the end`, value: {} },
  {
    name: 'ECMA array',
    bytes: hex`
      08                   # ECMA array
      00 00 00 01          # U32 count 1
      00 01 6b             # name "k"
      01 01                # Boolean true
      00 00 09             # end
    `,
    value: ecmaArray({ k: true }),
  },
  {
    name: 'strict array',
    bytes: hex`
      0a                   # Strict array
      00 00 00 03          # U32 count 3
      00 40 00 00 00 00 00 00 00  # Number 2
      05                   # Null
      02 00 01 7a          # String "z"
    `,
    value: [2, null, 'z'],
  },
  { name: 'empty strict array', bytes: hex`0a 00 00 00 00  # Strict array, count 0`, value: [] },
  {
    name: 'date',
    bytes: hex`
      0b                          # Date
      42 78 bc fe 56 80 00 00     # double 1700000000000 ms since 1970 UTC
      00 00                       # S16 time zone: reserved, written 0
    `,
    value: new Date(1700000000000),
  },
  {
    name: 'XML document',
    bytes: hex`
      0f                   # XML document
      00 00 00 04          # U32 byte length 4 (always the long form)
      3c 61 2f 3e          # "<a/>"
    `,
    value: new AmfXmlDocument('<a/>'),
  },
  {
    name: 'typed object',
    bytes: hex`
      10                   # Typed object
      00 03 46 6f 6f       # class name "Foo", U16-prefixed, no marker
      00 01 6e             # name "n"
      00 40 08 00 00 00 00 00 00  # Number 3
      00 00 09             # end
    `,
    value: typedObject('Foo', { n: 3 }),
  },
];

describe('AMF0 byte vectors, one per marker', () => {
  for (const { name, bytes, value } of vectors) {
    it(`${name}: decodes`, () => {
      expect(decodeAmf0(bytes)).toStrictEqual(value);
    });
    it(`${name}: encodes to the same bytes`, () => {
      expect(encodeAmf0(value).toString('hex')).toBe(bytes.toString('hex'));
    });
  }

  it('decodes multi-byte UTF-8 by byte length, not character count', () => {
    const bytes = hex`
      02          # String
      00 05       # U16 byte length 5 (two characters)
      c3 a9       # é
      e2 82 ac    # €
    `;
    expect(decodeAmf0(bytes)).toBe('é€');
    expect(encodeAmf0('é€')).toEqual(bytes);
  });

  it('reads any non-zero boolean byte as true', () => {
    expect(decodeAmf0(hex`01 02  # Boolean, 2`)).toBe(true);
    expect(decodeAmf0(hex`01 ff  # Boolean, 255`)).toBe(true);
  });

  it('keeps null and undefined apart', () => {
    expect(decodeAmf0Values(hex`05 06  # Null, Undefined`)).toStrictEqual([null, undefined]);
    expect(encodeAmf0Values([null, undefined])).toEqual(hex`05 06`);
  });

  it('ignores the date time zone when reading, and writes 0', () => {
    const withZone = hex`
      0b 42 78 bc fe 56 80 00 00  # Date 1700000000000
      ff c4                       # time zone -60: reserved, ignored
    `;
    const date = decodeAmf0(withZone) as Date;
    expect(date.getTime()).toBe(1700000000000);
    expect(encodeAmf0(date).subarray(9)).toEqual(hex`00 00  # time zone written 0`);
  });

  it('marks a decoded ECMA array and a typed object with their symbol keys', () => {
    const array = decodeAmf0(hex`08 00 00 00 00  00 00 09  # empty ECMA array`) as Record<symbol, unknown>;
    expect(array[AMF_ECMA_ARRAY]).toBe(true);
    expect(Object.keys(array)).toEqual([]);
    const typed = decodeAmf0(hex`10 00 01 54  00 00 09  # typed object "T", no members`) as Record<symbol, unknown>;
    expect(typed[AMF_CLASS_NAME]).toBe('T');
  });
});

describe('AMF0 strings: short and long', () => {
  it('writes a string of exactly 65535 bytes as String (0x02)', () => {
    const bytes = encodeAmf0('a'.repeat(0xffff));
    expect(bytes.subarray(0, 3)).toEqual(hex`02 ff ff  # String, U16 length 65535`);
    expect(bytes.length).toBe(3 + 0xffff);
  });

  it('writes one more byte as Long String (0x0C) and reads it back', () => {
    const text = 'a'.repeat(0xffff) + 'é'; // 65537 bytes
    const bytes = encodeAmf0(text);
    expect(bytes.subarray(0, 5)).toEqual(hex`0c 00 01 00 01  # Long string, U32 length 65537`);
    expect(decodeAmf0(bytes)).toBe(text);
  });

  it('counts UTF-8 bytes, not characters, to choose the form', () => {
    const text = '€'.repeat(21846); // 21846 characters, 65538 bytes
    expect(encodeAmf0(text)[0]).toBe(0x0c);
  });

  it('reads a short string sent as Long String', () => {
    expect(decodeAmf0(hex`0c 00 00 00 02 68 69  # Long string, length 2, "hi"`)).toBe('hi');
  });
});

describe('AMF0 ECMA array count is only a hint', () => {
  const body = (count: string) => hex`
    08 ${count}           # ECMA array, U32 count (the hint under test)
    00 01 61 00 3f f0 00 00 00 00 00 00  # "a": 1
    00 01 62 00 40 00 00 00 00 00 00 00  # "b": 2
    00 00 09              # end
    05                    # a following Null proves the reader stopped at the end marker
  `;

  for (const [why, count] of [
    ['count 0', '00 00 00 00'],
    ['count too small', '00 00 00 01'],
    ['count too large', '00 00 00 07'],
    ['count absurd', 'ff ff ff ff'],
  ] as const) {
    it(`reads to the end marker with ${why}`, () => {
      expect(decodeAmf0Values(body(count))).toStrictEqual([ecmaArray({ a: 1, b: 2 }), null]);
    });
  }

  it('writes the real count', () => {
    expect(encodeAmf0(ecmaArray({ a: 1, b: 2 })).subarray(0, 5)).toEqual(hex`08 00 00 00 02  # ECMA array, count 2`);
  });
});

describe('AMF0 malformed input', () => {
  const cases: Array<[string, Buffer, new (...args: never[]) => Error]> = [
    ['MovieClip (reserved)', hex`04`, AmfDecodeError],
    ['RecordSet (reserved)', hex`0e`, AmfDecodeError],
    ['unknown marker 0x12', hex`12`, AmfDecodeError],
    ['unknown marker 0xff', hex`ff`, AmfDecodeError],
    ['object end at top level', hex`09`, AmfDecodeError],
    ['object end as a property value', hex`03 00 01 61 09  # "a": <object end>`, AmfDecodeError],
    ['object end as an array element', hex`0a 00 00 00 01 09`, AmfDecodeError],
    ['empty name not followed by 0x09', hex`03 00 00 05  # empty name, then Null`, AmfDecodeError],
    ['object without its end', hex`03 00 01 61 05`, TruncatedInputError],
    ['cut-off number', hex`00 3f f0 00`, TruncatedInputError],
    ['string longer than the body', hex`02 00 10 61 62`, TruncatedInputError],
    ['long string length past the body', hex`0c ff ff ff ff 61`, TruncatedInputError],
    ['XML length past the body', hex`0f 00 00 01 00 3c`, TruncatedInputError],
    ['date without time zone', hex`0b 42 78 bc fe 56 80 00 00`, TruncatedInputError],
    ['strict array count past the body', hex`0a 00 00 00 03 05 05`, TruncatedInputError],
  ];
  for (const [name, bytes, errorClass] of cases) {
    it(`rejects ${name} with ${errorClass.name}`, () => {
      expect(() => decodeAmf0Values(bytes)).toThrow(errorClass);
    });
  }

  it('rejects bytes left over after the one value of decodeAmf0', () => {
    expect(() => decodeAmf0(hex`05 05  # two Nulls`)).toThrow(AmfDecodeError);
  });

  it('decodes an empty body to no values', () => {
    expect(decodeAmf0Values(new Uint8Array(0))).toEqual([]);
    expect(() => decodeAmf0(new Uint8Array(0))).toThrow(TruncatedInputError);
  });
});

describe('AMF0 values the encoder refuses', () => {
  const refused: Array<[string, unknown]> = [
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a bigint', 1n],
    ['an object with an empty key', { '': 1 }],
    ['a property name over 65535 bytes', { ['k'.repeat(0x10000)]: 1 }],
    ['a class name over 65535 bytes', typedObject('C'.repeat(0x10000), {})],
    ['an ArrayBuffer', new ArrayBuffer(2)],
    ['an Int16Array', new Int16Array(2)],
    ['a function nested in an object', { ok: 1, bad: () => 1 }],
  ];
  for (const [name, value] of refused) {
    it(`throws AmfEncodeError for ${name}`, () => {
      expect(() => encodeAmf0(value as AmfValue)).toThrow(AmfEncodeError);
    });
  }

  it('writes an array hole as undefined', () => {
    expect(encodeAmf0([1, , 2] as AmfValue[])).toEqual(hex`
      0a 00 00 00 03               # Strict array, count 3
      00 3f f0 00 00 00 00 00 00   # 1
      06                           # hole -> Undefined
      00 40 00 00 00 00 00 00 00   # 2
    `);
  });

  it('prefers the typed object when an object carries both symbol markers', () => {
    const both = { ...typedObject('T', {}), [AMF_ECMA_ARRAY]: true };
    expect(encodeAmf0(both)[0]).toBe(0x10);
  });
});
