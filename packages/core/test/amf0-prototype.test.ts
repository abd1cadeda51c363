import { afterEach, describe, expect, it } from 'vitest';
import { AMF_ECMA_ARRAY, type AmfObject } from '../src/amf/amf-value.js';
import { decodeAmf0, encodeAmf0 } from '../src/amf/amf0/index.js';
import { hex } from './helpers/hex.js';

const prototypeKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  // Nothing decoded may have reached Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

/** `__proto__` = { polluted: true } inside an object (0x03) or ECMA array (0x08) header. */
function protoBody(header: string): Buffer {
  return hex`
    ${header}
      00 09 5f 5f 70 72 6f 74 6f 5f 5f   # "__proto__"
      03                                 # Object
        00 08 70 6f 6c 6c 75 74 65 64    # "polluted"
        01 01                            # true
      00 00 09
    00 00 09
  `;
}

describe('prototype safety', () => {
  it('decodes an object with a __proto__ key as an own data property', () => {
    const value = decodeAmf0(protoBody('03  # Object')) as AmfObject;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect((value as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('decodes an ECMA array with a __proto__ key as an own data property', () => {
    const value = decodeAmf0(protoBody('08 00 00 00 01  # ECMA array, count 1')) as AmfObject;
    expect(value[AMF_ECMA_ARRAY]).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect((value as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('decodes a typed object with a __proto__ key as an own data property', () => {
    const value = decodeAmf0(protoBody('10 00 01 54  # typed object "T"')) as AmfObject;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('keeps constructor and prototype as plain own keys', () => {
    const value = decodeAmf0(hex`
      03
        00 0b 63 6f 6e 73 74 72 75 63 74 6f 72   # "constructor"
        02 00 01 78                              # "x"
        00 09 70 72 6f 74 6f 74 79 70 65         # "prototype"
        05                                       # null
      00 00 09
    `) as AmfObject;
    expect(Object.keys(value)).toEqual(['constructor', 'prototype']);
    expect(value.constructor).toBe('x');
    expect(value.prototype).toBeNull();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('re-encodes an own __proto__ key as a property', () => {
    const value = decodeAmf0(protoBody('03')) as AmfObject;
    expect(encodeAmf0(value)).toEqual(protoBody('03'));
  });
});
