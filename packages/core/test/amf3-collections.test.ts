import { describe, expect, it } from 'vitest';
import { AmfDecodeError, AmfEncodeError } from '../src/errors/index.js';
import { AmfVector, ecmaArray, type AmfValue } from '../src/amf/amf-value.js';
import { AMF3_WEAK_KEYS, decodeAmf3, encodeAmf3, type Amf3Dictionary } from '../src/amf/amf3/index.js';
import { hex } from './helpers/hex.js';

type LooseArray = unknown[] & Record<string, unknown>;

describe('AMF3 arrays (0x09)', () => {
  it('a dense array', () => {
    const bytes = hex`
      09          # array marker
      07          # U29A-value: dense count 3 ((3 << 1) | 1)
      01          # empty associative part
      04 01  04 02  04 03   # 1, 2, 3
    `;
    expect(encodeAmf3([1, 2, 3])).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual([1, 2, 3]);
  });

  it('an empty array', () => {
    expect(encodeAmf3([])).toEqual(hex`09 01 01`);
    expect(decodeAmf3(hex`09 01 01`)).toEqual([]);
  });

  it('extra string keys on an Array are the associative part', () => {
    const array = [1] as LooseArray;
    array['name'] = 'x';
    const bytes = hex`
      09                    # array marker
      03                    # dense count 1
      09 6e 61 6d 65        # associative key "name"
      06 03 78              #   = "x"
      01                    # end of the associative part
      04 01                 # dense: 1
    `;
    expect(encodeAmf3(array as AmfValue)).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as LooseArray;
    expect(Array.isArray(decoded)).toBe(true);
    expect(decoded.length).toBe(1);
    expect(decoded[0]).toBe(1);
    expect(decoded['name']).toBe('x');
  });

  it('a hole ends the dense part; later elements go as index keys (Flash’s sparse arrays)', () => {
    const sparse = [1, , 3];
    const bytes = hex`
      09 03           # dense count 1 (up to the hole)
      03 32 04 03     # associative "2" = 3
      01
      04 01           # dense: 1
    `;
    expect(encodeAmf3(sparse)).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as unknown[];
    expect(decoded.length).toBe(3);
    expect(1 in decoded).toBe(false);
    expect(decoded[2]).toBe(3);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('a far index key makes a sparse array, not a big allocation', () => {
    const bytes = hex`
      09 01                                     # dense count 0
      13 32 36 38 34 33 35 30 30 30  04 07      # "268435000" = 7
      01
    `;
    const decoded = decodeAmf3(bytes) as unknown[];
    expect(decoded.length).toBe(268435001);
    expect(Object.keys(decoded)).toEqual(['268435000']);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('an associative key named "length" is an AmfDecodeError', () => {
    expect(() => decodeAmf3(hex`09 01  0d 6c 65 6e 67 74 68  04 01  01`)).toThrow(AmfDecodeError);
  });

  it('an associative "__proto__" key stays an own property', () => {
    const decoded = decodeAmf3(hex`09 01  13 5f 5f 70 72 6f 74 6f 5f 5f  0a 0b 01 01  01`) as LooseArray;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(decoded)).toBe(Array.prototype);
  });

  it('an array enters the table before its elements, so it can hold itself', () => {
    const array: unknown[] = [];
    array.push(array);
    const bytes = hex`09 03 01  09 00   # array 0 with one element: a reference to array 0`;
    expect(encodeAmf3(array as AmfValue)).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as unknown[];
    expect(decoded[0]).toBe(decoded);
  });

  it('an AMF0-style ECMA array becomes an array with only an associative part', () => {
    const bytes = hex`09 01  03 61 04 01  01   # dense 0, a = 1, end`;
    expect(encodeAmf3(ecmaArray({ a: 1 }))).toEqual(bytes);
    expect((decodeAmf3(bytes) as LooseArray)['a']).toBe(1);
  });

  it('an associative key "" cannot be written', () => {
    const array = [] as unknown as LooseArray;
    array[''] = 1;
    expect(() => encodeAmf3(array as AmfValue)).toThrow(AmfEncodeError);
  });
});

describe('AMF3 vectors (0x0D–0x10)', () => {
  it('Vector.<int>: count, fixed flag, S32 items', () => {
    const bytes = hex`
      0d                # vector-int marker
      05                # 2 items
      00                # not fixed
      00 00 00 01       # 1
      ff ff ff ff       # -1
    `;
    expect(encodeAmf3(new AmfVector('int', [1, -1]))).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(new AmfVector('int', [1, -1], false));
  });

  it('Vector.<uint>, fixed', () => {
    const bytes = hex`0e 03 01 ff ff ff ff   # 1 item, fixed, 4294967295`;
    expect(encodeAmf3(new AmfVector('uint', [0xffffffff], true))).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as AmfVector;
    expect(decoded.kind).toBe('uint');
    expect(decoded.fixed).toBe(true);
    expect(decoded.items).toEqual([0xffffffff]);
  });

  it('Vector.<Number>', () => {
    const bytes = hex`0f 05 00  3f f8 00 00 00 00 00 00  ff f0 00 00 00 00 00 00   # 1.5, -Infinity`;
    expect(encodeAmf3(new AmfVector('double', [1.5, -Infinity]))).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(new AmfVector('double', [1.5, -Infinity]));
  });

  it('Vector.<Object> of any type ("*")', () => {
    const bytes = hex`
      10          # vector-object marker
      05 00       # 2 items, not fixed
      03 2a       # object type name "*"
      06 03 61    # "a"
      04 01       # 1
    `;
    expect(encodeAmf3(new AmfVector('object', ['a', 1]))).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as AmfVector;
    expect(decoded).toBeInstanceOf(AmfVector);
    expect(decoded.typeName).toBe('*');
    expect(decoded.items).toEqual(['a', 1]);
  });

  it('Vector.<Object> with a class name shares the string table with its items', () => {
    const bytes = hex`
      10 03 01                      # 1 item, fixed
      0f 63 6f 6d 2e 46 6f 6f       # type name "com.Foo" (string 0)
      0a 13 00 03 78 04 01          # com.Foo { x: 1 }: class name by string reference 0
    `;
    const decoded = decodeAmf3(bytes) as AmfVector;
    expect(decoded.typeName).toBe('com.Foo');
    expect(decoded.fixed).toBe(true);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('the same vector twice goes by reference', () => {
    const vector = new AmfVector('int', [1]);
    expect(encodeAmf3([vector, vector])).toEqual(hex`09 05 01  0d 03 00 00 00 00 01  0d 02`);
    const decoded = decodeAmf3(encodeAmf3([vector, vector])) as unknown[];
    expect(decoded[0]).toBe(decoded[1]);
  });

  it('a Vector.<Object> can hold itself', () => {
    const vector = new AmfVector('object', [] as AmfValue[]);
    vector.items.push(vector);
    const bytes = hex`10 03 00 03 2a 10 00`;
    expect(encodeAmf3(vector)).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as AmfVector;
    expect(decoded.items[0]).toBe(decoded);
  });

  it.each<[string, AmfVector]>([
    ['int above 2^31 - 1', new AmfVector('int', [2 ** 31])],
    ['int not an integer', new AmfVector('int', [1.5])],
    ['uint below 0', new AmfVector('uint', [-1])],
    ['uint above 2^32 - 1', new AmfVector('uint', [2 ** 32])],
    ['Number not a number', new AmfVector('double', ['1'])],
    ['unknown kind', new AmfVector('long' as never, [])],
  ])('refuses %s', (_name, vector) => {
    expect(() => encodeAmf3(vector)).toThrow(AmfEncodeError);
  });
});

describe('AMF3 Dictionary (0x11)', () => {
  it('a Map with a string key', () => {
    const bytes = hex`
      11          # dictionary marker
      03          # 1 entry
      00          # strong keys
      06 03 61    # key "a"
      04 01       # value 1
    `;
    expect(encodeAmf3(new Map([['a', 1]]))).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(new Map([['a', 1]]));
  });

  it('keeps the weak-keys flag', () => {
    const bytes = hex`11 03 01 06 03 61 04 01   # weak keys`;
    const decoded = decodeAmf3(bytes) as Amf3Dictionary;
    expect(decoded[AMF3_WEAK_KEYS]).toBe(true);
    expect(encodeAmf3(decoded)).toEqual(bytes);
    expect((decodeAmf3(hex`11 01 00`) as Amf3Dictionary)[AMF3_WEAK_KEYS]).toBeUndefined();
  });

  it('object keys stay objects', () => {
    const key = { id: 1 };
    const bytes = hex`11 03 00  0a 0b 01 05 69 64 04 01 01  03   # { id: 1 } => true`;
    expect(encodeAmf3(new Map([[key, true]]))).toEqual(bytes);
    const [[decodedKey, value]] = [...(decodeAmf3(bytes) as Map<unknown, unknown>)];
    expect(decodedKey).toEqual({ id: 1 });
    expect(value).toBe(true);
  });

  it('integer keys are written as strings, as Flash does', () => {
    expect(encodeAmf3(new Map([[1, 'x']]))).toEqual(hex`11 03 00  06 03 31  06 03 78   # "1" => "x"`);
    expect(encodeAmf3(new Map([[1.5, 'x']]))).toEqual(hex`11 03 00  05 3f f8 00 00 00 00 00 00  06 03 78`);
  });

  it('a Map can hold itself', () => {
    const map = new Map<string, unknown>();
    map.set('self', map);
    const bytes = hex`11 03 00  06 09 73 65 6c 66  11 00`;
    expect(encodeAmf3(map as AmfValue)).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as Map<string, unknown>;
    expect(decoded.get('self')).toBe(decoded);
  });
});
