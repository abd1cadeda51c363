import { describe, expect, it } from 'vitest';
import { AmfDecodeError, AmfEncodeError } from '../src/errors/index.js';
import { AMF_CLASS_NAME, AMF_DYNAMIC, typedObject, type AmfObject } from '../src/amf/amf-value.js';
import { AMF3_SEALED_MEMBERS, decodeAmf3, encodeAmf3 } from '../src/amf/amf3/index.js';
import { hex } from './helpers/hex.js';

type Loose = Record<string | symbol, unknown>;

describe('AMF3 objects (0x0A)', () => {
  it('an anonymous object is dynamic with no sealed members', () => {
    const bytes = hex`
      0a        # object marker
      0b        # U29O-traits: inline object, inline traits, not externalizable, dynamic, 0 sealed
      01        # class name "" (anonymous)
      03 61     # dynamic member "a"
      04 01     #   = integer 1
      01        # "" ends the dynamic members
    `;
    expect(encodeAmf3({ a: 1 })).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as Loose;
    expect(decoded).toEqual({ a: 1 });
    expect(Object.getOwnPropertySymbols(decoded)).toEqual([]); // defaults need no marks
  });

  it('a typed object is sealed: all its keys are sealed members', () => {
    const bytes = hex`
      0a              # object marker
      23              # inline traits, not dynamic, 2 sealed members ((2 << 4) | 0b0011)
      07 46 6f 6f     # class name "Foo"
      03 78           # sealed member name "x"
      03 79           # sealed member name "y"
      04 01           # x = 1
      06 03 7a        # y = "z"
    `;
    expect(encodeAmf3(typedObject('Foo', { x: 1, y: 'z' }))).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as Loose;
    expect(decoded).toEqual(typedObject('Foo', { x: 1, y: 'z' }));
    expect(decoded[AMF_CLASS_NAME]).toBe('Foo');
    expect(decoded[AMF_DYNAMIC]).toBeUndefined();
    expect(decoded[AMF3_SEALED_MEMBERS]).toBeUndefined();
  });

  it('a typed dynamic object keeps its sealed list and dynamic flag', () => {
    const bytes = hex`
      0a              # object marker
      1b              # inline traits, dynamic, 1 sealed member ((1 << 4) | 0b1011)
      07 46 6f 6f     # class name "Foo"
      03 78           # sealed: "x"
      04 01           # x = 1
      03 64 04 02     # dynamic: d = 2
      01              # end of dynamic members
    `;
    const decoded = decodeAmf3(bytes) as Loose;
    expect(Object.keys(decoded)).toEqual(['x', 'd']);
    expect([decoded['x'], decoded['d']]).toEqual([1, 2]);
    expect(decoded[AMF_CLASS_NAME]).toBe('Foo');
    expect(decoded[AMF_DYNAMIC]).toBe(true);
    expect(decoded[AMF3_SEALED_MEMBERS]).toEqual(['x']);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('an anonymous sealed object is marked not dynamic', () => {
    const bytes = hex`
      0a 13           # inline traits, not dynamic, 1 sealed member
      01              # anonymous
      03 61           # sealed: "a"
      04 01           # a = 1
    `;
    const decoded = decodeAmf3(bytes) as Loose;
    expect(decoded[AMF_DYNAMIC]).toBe(false);
    expect(decoded[AMF3_SEALED_MEMBERS]).toBeUndefined(); // the default (all keys) already says it
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('keeps a sealed order that Object.keys would change', () => {
    const bytes = hex`
      0a 23 07 46 6f 6f   # Foo, 2 sealed members, not dynamic
      03 62  03 31        # sealed names "b", "1" (Object.keys would say "1", "b")
      04 01  04 02        # b = 1, "1" = 2
    `;
    const decoded = decodeAmf3(bytes) as Loose;
    expect(decoded[AMF3_SEALED_MEMBERS]).toEqual(['b', '1']);
    expect(Object.isFrozen(decoded[AMF3_SEALED_MEMBERS])).toBe(true);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('a sealed member the object lacks is written as undefined', () => {
    const value = { a: 1, [AMF_CLASS_NAME]: 'Foo', [AMF3_SEALED_MEMBERS]: ['a', 'b'] };
    expect(encodeAmf3(value)).toEqual(hex`0a 23 07 46 6f 6f  03 61 03 62  04 01  00`);
  });

  it('an anonymous object marked dynamic: false seals its keys', () => {
    expect(encodeAmf3({ a: 1, [AMF_DYNAMIC]: false })).toEqual(hex`0a 13 01 03 61 04 01`);
  });
});

describe('the traits table', () => {
  it('reuses traits for the same class and members', () => {
    const bytes = hex`
      09 05 01                        # array of 2
      0a 13 07 46 6f 6f 03 78 04 01   # Foo { x: 1 }: traits 0 inline (1 sealed member)
      0a 01                           # U29O-traits-ref: traits 0 ((0 << 2) | 0b01)
      04 02                           # x = 2
    `;
    expect(encodeAmf3([typedObject('Foo', { x: 1 }), typedObject('Foo', { x: 2 })])).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as Loose[];
    expect(decoded.map((item) => [item[AMF_CLASS_NAME], item['x']])).toEqual([
      ['Foo', 1],
      ['Foo', 2],
    ]);
  });

  it('anonymous objects share one traits entry', () => {
    expect(encodeAmf3([{ a: 1 }, { b: 2 }])).toEqual(hex`
      09 05 01
      0a 0b 01 03 61 04 01 01   # anonymous dynamic: traits 0
      0a 01 03 62 04 02 01      # traits reference 0, then b = 2
    `);
  });

  it('writes new traits when the members differ', () => {
    const bytes = encodeAmf3([typedObject('Foo', { x: 1 }), typedObject('Foo', { y: 1 })]);
    expect(bytes).toEqual(hex`
      09 05 01
      0a 13 07 46 6f 6f 03 78 04 01   # Foo [x]: traits 0; strings "Foo" = 0, "x" = 1
      0a 13 00 03 79 04 01            # Foo [y]: new traits; "Foo" by string reference
    `);
  });

  it('a traits reference out of range is an AmfDecodeError', () => {
    expect(() => decodeAmf3(hex`0a 01`)).toThrow(/traits reference 0 out of range/);
    expect(() => decodeAmf3(hex`09 05 01 0a 0b 01 01 0a 05`)).toThrow(AmfDecodeError);
  });
});

describe('the object table', () => {
  it('sends the same object twice by reference', () => {
    const shared = {};
    const bytes = hex`
      09 05 01          # array of 2: object 0
      0a 0b 01 01       # {}: object 1
      0a 02             # reference to object 1
    `;
    expect(encodeAmf3([shared, shared])).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as unknown[];
    expect(decoded[0]).toBe(decoded[1]);
  });

  it('an object enters the table before its members, so cycles work', () => {
    const cyclic: Loose = {};
    cyclic['self'] = cyclic;
    const bytes = hex`
      0a 0b 01                # object 0, anonymous dynamic
      09 73 65 6c 66          # "self"
      0a 00                   # reference to object 0 (itself)
      01
    `;
    expect(encodeAmf3(cyclic as AmfObject)).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as Loose;
    expect(decoded['self']).toBe(decoded);
  });

  it('an object reference out of range is an AmfDecodeError', () => {
    expect(() => decodeAmf3(hex`0a 00`)).toThrow(/object reference 0 out of range/);
    expect(() => decodeAmf3(hex`09 03 01 08 04`)).toThrow(AmfDecodeError);
  });
});

describe('hostile keys', () => {
  const bytes = hex`
    0a 0b 01                          # object 0: anonymous, dynamic
    13 5f 5f 70 72 6f 74 6f 5f 5f     #   "__proto__" (string 0)
    0a 01                             #   object 1, traits reference 0
    11 70 6f 6c 6c 75 74 65 64 03     #     polluted (string 1) = true
    01                                #     end
    17 63 6f 6e 73 74 72 75 63 74 6f 72  # "constructor" (string 2)
    0a 01                             #   object 2
    13 70 72 6f 74 6f 74 79 70 65     #     "prototype" (string 3)
    0a 01 02 03 01                    #     object 3 { polluted (string ref 1): true }
    01                                #     end
    01                                # end
  `;

  it('become own data properties and never reach a prototype', () => {
    const decoded = decodeAmf3(bytes) as Loose;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.hasOwn(decoded, 'constructor')).toBe(true);
    expect((decoded['constructor'] as unknown as Loose)['prototype']).toEqual({ polluted: true });
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(({} as Loose)['polluted']).toBeUndefined();
    expect(Object.keys(decoded)).toEqual(['__proto__', 'constructor']);
  });

  it('round-trip to the same bytes', () => {
    expect(encodeAmf3(decodeAmf3(bytes))).toEqual(bytes);
  });

  it('as sealed member names too', () => {
    const sealed = hex`
      0a 23 07 46 6f 6f                 # Foo, 2 sealed members
      13 5f 5f 70 72 6f 74 6f 5f 5f     # "__proto__"
      13 70 72 6f 74 6f 74 79 70 65     # "prototype"
      0a 0b 01 01                       # __proto__ = {}
      04 07                             # prototype = 7
    `;
    const decoded = decodeAmf3(sealed) as Loose;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'prototype']);
    expect(encodeAmf3(decoded)).toEqual(sealed);
  });
});

describe('decode → encode gives the same bytes for canonical encodings', () => {
  it.each([
    ['anonymous, two members', hex`0a 0b 01 03 61 04 01 03 62 06 01 01`],
    ['typed, sealed', hex`0a 23 07 46 6f 6f 03 78 03 79 04 01 04 02`],
    ['typed, dynamic, no sealed', hex`0a 0b 07 46 6f 6f 03 61 03 01`],
    ['anonymous, sealed and dynamic', hex`0a 1b 01 03 61 04 01 03 62 04 02 01`],
    ['typed, sealed, empty member name', hex`0a 13 07 46 6f 6f 01 02`],
    ['nested with a traits reference', hex`0a 0b 01 03 61 0a 01 03 62 04 01 01 01`],
    ['cycle through a member', hex`0a 13 01 03 61 0a 00`],
  ])('%s', (_name, bytes) => {
    expect(encodeAmf3(decodeAmf3(bytes))).toEqual(bytes);
  });
});

describe('what AMF3 objects cannot say', () => {
  it('a member outside the sealed list of a non-dynamic object', () => {
    const value = { a: 1, b: 2, [AMF_CLASS_NAME]: 'Foo', [AMF3_SEALED_MEMBERS]: ['a'] };
    expect(() => encodeAmf3(value)).toThrow(AmfEncodeError);
    expect(() => encodeAmf3(value)).toThrow(/'b'/);
  });

  it('a dynamic member named ""', () => {
    expect(() => encodeAmf3({ '': 1 })).toThrow(AmfEncodeError);
  });

  it('bad marks', () => {
    expect(() => encodeAmf3({ [AMF3_SEALED_MEMBERS]: 'a' } as never)).toThrow(AmfEncodeError);
    expect(() => encodeAmf3({ [AMF_CLASS_NAME]: 5 } as never)).toThrow(AmfEncodeError);
  });

  it.each([() => 1, Symbol('s'), 10n])('a %s', (value) => {
    expect(() => encodeAmf3(value as never)).toThrow(AmfEncodeError);
    expect(() => encodeAmf3({ a: value } as never)).toThrow(AmfEncodeError);
  });

  it('typed arrays other than Uint8Array, and ArrayBuffer', () => {
    expect(() => encodeAmf3(new Int16Array(2) as never)).toThrow(/Int16Array/);
    expect(() => encodeAmf3(new ArrayBuffer(2) as never)).toThrow(AmfEncodeError);
  });
});
