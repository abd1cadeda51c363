import { describe, expect, it } from 'vitest';
import { typedObject, type AmfObject, type AmfValue } from '../src/amf/amf-value.js';
import {
  AMF0_DEFAULT_MAX_DEPTH,
  createAmf0DecodeContext,
  createAmf0EncodeContext,
  decodeAmf0,
  encodeAmf0,
} from '../src/amf/amf0/index.js';
import { LimitExceededError, TruncatedInputError } from '../src/errors/index.js';
import { hex } from './helpers/hex.js';

/** `depth` objects, each the only member ("o") of the one around it. */
function nestedObjectBytes(depth: number): Buffer {
  const open = hex`03 00 01 6f  # Object, name "o"`;
  const end = hex`00 00 09`;
  return Buffer.concat([...Array(depth - 1).fill(open), hex`03`, ...Array(depth).fill(end)]);
}

/** `depth` strict arrays, each holding the next. */
function nestedArrayBytes(depth: number): Buffer {
  return Buffer.concat([...Array(depth - 1).fill(hex`0a 00 00 00 01`), hex`0a 00 00 00 00`]);
}

function nestedValue(depth: number, wrap: (inner: AmfValue) => AmfValue): AmfValue {
  let value: AmfValue = null;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('maxDepth when decoding', () => {
  it('defaults to 128', () => {
    expect(AMF0_DEFAULT_MAX_DEPTH).toBe(128);
    expect(createAmf0DecodeContext().maxDepth).toBe(128);
  });

  it('accepts exactly the default depth of objects and refuses one more', () => {
    expect(() => decodeAmf0(nestedObjectBytes(128))).not.toThrow();
    const error = catchError(() => decodeAmf0(nestedObjectBytes(129)));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe('maxDepth');
    expect((error as LimitExceededError).value).toBe(128);
  });

  it('applies a configured limit to strict arrays, ECMA arrays and typed objects alike', () => {
    expect(() => decodeAmf0(nestedArrayBytes(3), { maxDepth: 3 })).not.toThrow();
    expect(() => decodeAmf0(nestedArrayBytes(4), { maxDepth: 3 })).toThrow(LimitExceededError);
    const ecmaInTyped = hex`
      10 00 01 54          # typed object "T" (depth 1)
        00 01 65 08 00 00 00 00  # "e": ECMA array (depth 2)
        00 00 09
      00 00 09
    `;
    expect(() => decodeAmf0(ecmaInTyped, { maxDepth: 2 })).not.toThrow();
    expect(() => decodeAmf0(ecmaInTyped, { maxDepth: 1 })).toThrow(LimitExceededError);
  });

  it('with maxDepth 0 accepts scalars only', () => {
    expect(decodeAmf0(hex`02 00 01 61`, { maxDepth: 0 })).toBe('a');
    expect(() => decodeAmf0(hex`03 00 00 09`, { maxDepth: 0 })).toThrow(LimitExceededError);
  });

  it('counts depth, not the number of siblings', () => {
    const wide = Buffer.concat([hex`0a 00 00 01 00  # 256 elements`, ...Array(256).fill(hex`03 00 00 09`)]);
    expect(decodeAmf0(wide, { maxDepth: 2 })).toHaveLength(256);
  });
});

describe('maxDepth when encoding', () => {
  it('defaults to 128', () => {
    expect(createAmf0EncodeContext().maxDepth).toBe(128);
    expect(() => encodeAmf0(nestedValue(128, (inner) => ({ o: inner })))).not.toThrow();
    const error = catchError(() => encodeAmf0(nestedValue(129, (inner) => ({ o: inner }))));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe('maxDepth');
  });

  it('applies a configured limit to arrays and typed objects', () => {
    expect(() => encodeAmf0(nestedValue(5, (inner) => [inner]), { maxDepth: 5 })).not.toThrow();
    expect(() => encodeAmf0(nestedValue(6, (inner) => [inner]), { maxDepth: 5 })).toThrow(LimitExceededError);
    const typed = nestedValue(3, (inner) => typedObject('T', { inner }));
    expect(() => encodeAmf0(typed, { maxDepth: 2 })).toThrow(LimitExceededError);
  });

  it('never recurses into a cycle: references stop it well before the limit', () => {
    const node: AmfObject = {};
    node.next = node;
    expect(() => encodeAmf0(node, { maxDepth: 1 })).not.toThrow();
  });
});

describe('declared counts are checked against the bytes that remain', () => {
  it('refuses a strict array count larger than the rest of the body at once', () => {
    const started = performance.now();
    expect(() => decodeAmf0(hex`0a ff ff ff ff  05  # count 4294967295, one byte left`)).toThrow(TruncatedInputError);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses string and XML lengths past the body without reading them', () => {
    expect(() => decodeAmf0(hex`02 ff ff 61  # String length 65535, one byte`)).toThrow(TruncatedInputError);
    expect(() => decodeAmf0(hex`0c ff ff ff ff 61  # Long string length 2^32-1`)).toThrow(TruncatedInputError);
    expect(() => decodeAmf0(hex`0f ff ff ff ff 61  # XML length 2^32-1`)).toThrow(TruncatedInputError);
    expect(() => decodeAmf0(hex`10 ff ff 61  # class name length 65535`)).toThrow(TruncatedInputError);
  });
});

describe('option validation', () => {
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects maxDepth ${bad} as a programming error`, () => {
      expect(() => createAmf0DecodeContext({ maxDepth: bad })).toThrow(RangeError);
      expect(() => createAmf0EncodeContext({ maxDepth: bad })).toThrow(RangeError);
    });
  }
});

describe('maxDepth raised past the JavaScript stack', () => {
  it('still ends in LimitExceededError, not a RangeError, when decoding', () => {
    const deep = nestedArrayBytes(200_000);
    const error = catchError(() => decodeAmf0(deep, { maxDepth: 1_000_000 }));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe('maxDepth');
  });

  it('still ends in LimitExceededError, not a RangeError, when encoding', () => {
    const deep = nestedValue(200_000, (inner) => [inner]);
    expect(() => encodeAmf0(deep, { maxDepth: 1_000_000 })).toThrow(LimitExceededError);
  });
});
