import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../src/bytes/index.js';
import { LimitExceededError, RtmpError, TruncatedInputError } from '../src/errors/index.js';
import { AmfVector, type AmfValue } from '../src/amf/amf-value.js';
import { writeU29 } from '../src/amf/amf3/u29.js';
import { AMF3_DEFAULT_MAX_DEPTH, arrayCollection, decodeAmf3, encodeAmf3 } from '../src/amf/amf3/index.js';
import { hex } from './helpers/hex.js';

/** `levels` arrays, each holding the next; the innermost holds null. */
function nestedArrayBytes(levels: number): Buffer {
  return Buffer.concat([Buffer.from('090301'.repeat(levels), 'hex'), hex`01`]);
}

function nestedArray(levels: number): AmfValue {
  let value: AmfValue = null;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function u29(value: number): Buffer {
  const writer = new ByteWriter();
  writeU29(writer, value);
  return Buffer.from(writer.finish());
}

describe('maxDepth', () => {
  it('defaults to 128 when decoding', () => {
    expect(AMF3_DEFAULT_MAX_DEPTH).toBe(128);
    expect(() => decodeAmf3(nestedArrayBytes(128))).not.toThrow();
    const error = catchError(() => decodeAmf3(nestedArrayBytes(129)));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe('maxDepth');
    expect((error as LimitExceededError).value).toBe(128);
    expect((error as Error).message).toContain('maxDepth');
  });

  it('defaults to 128 when encoding', () => {
    expect(() => encodeAmf3(nestedArray(128))).not.toThrow();
    const error = catchError(() => encodeAmf3(nestedArray(129)));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe('maxDepth');
  });

  it('is configurable', () => {
    const value = { a: { b: {} } };
    expect(() => encodeAmf3(value, { maxDepth: 2 })).toThrow(LimitExceededError);
    const bytes = encodeAmf3(value, { maxDepth: 3 });
    expect(() => decodeAmf3(bytes, { maxDepth: 2 })).toThrow(LimitExceededError);
    expect(decodeAmf3(bytes, { maxDepth: 3 })).toEqual(value);
    expect(() => decodeAmf3(nestedArrayBytes(200), { maxDepth: 200 })).not.toThrow();
  });

  it('maxDepth 0 allows scalars only', () => {
    expect(decodeAmf3(hex`06 03 61`, { maxDepth: 0 })).toBe('a');
    expect(decodeAmf3(hex`08 01 00 00 00 00 00 00 00 00`, { maxDepth: 0 })).toEqual(new Date(0));
    expect(() => decodeAmf3(hex`09 01 01`, { maxDepth: 0 })).toThrow(LimitExceededError);
    expect(() => encodeAmf3({}, { maxDepth: 0 })).toThrow(LimitExceededError);
  });

  it('counts objects, object vectors, dictionaries and externalizable bodies', () => {
    const cases: AmfValue[] = [
      [{}],
      [new AmfVector('object', [])],
      [new Map()],
      arrayCollection([]), // the source array nests inside the externalizable body
    ];
    for (const value of cases) {
      expect(() => encodeAmf3(value, { maxDepth: 1 })).toThrow(LimitExceededError);
      const bytes = encodeAmf3(value, { maxDepth: 2 });
      expect(() => decodeAmf3(bytes, { maxDepth: 1 })).toThrow(LimitExceededError);
      expect(() => decodeAmf3(bytes, { maxDepth: 2 })).not.toThrow();
    }
  });

  it('does not count a reference back to an enclosing object', () => {
    const cyclic: Record<string, AmfValue> = {};
    cyclic['self'] = cyclic;
    const bytes = encodeAmf3(cyclic, { maxDepth: 1 });
    expect(() => decodeAmf3(bytes, { maxDepth: 1 })).not.toThrow();
  });

  it('raised past the JavaScript stack, still ends in LimitExceededError', () => {
    const levels = 100_000;
    const decodeError = catchError(() => decodeAmf3(nestedArrayBytes(levels), { maxDepth: 1e9 }));
    expect(RtmpError.isInstance(decodeError)).toBe(true);
    expect((decodeError as LimitExceededError).limit).toBe('maxDepth');
    const encodeError = catchError(() => encodeAmf3(nestedArray(levels), { maxDepth: 1e9 }));
    expect((encodeError as LimitExceededError).limit).toBe('maxDepth');
  });

  it('a stack overflow inside an externalizable body is reported the same way', () => {
    const levels = 100_000;
    let value: AmfValue = null;
    for (let i = 0; i < levels; i++) value = arrayCollection([value]);
    const encodeError = catchError(() => encodeAmf3(value, { maxDepth: 1e9 }));
    expect((encodeError as LimitExceededError).limit).toBe('maxDepth');
    // One ArrayCollection inline, then each body is the next one by traits reference.
    const head = encodeAmf3(arrayCollection([])).subarray(0, 36); // 0a 07 + 34-byte class name
    const bytes = Buffer.concat([head, Buffer.from('0a01'.repeat(levels), 'hex'), hex`01`]);
    const decodeError = catchError(() => decodeAmf3(bytes, { maxDepth: 1e9 }));
    expect((decodeError as LimitExceededError).limit).toBe('maxDepth');
  });

  it.each([-1, 1.5, Number.NaN, Infinity])('refuses maxDepth %d', (maxDepth) => {
    expect(() => decodeAmf3(hex`01`, { maxDepth })).toThrow(RangeError);
    expect(() => encodeAmf3(null, { maxDepth })).toThrow(RangeError);
  });

  it('refuses an externalizables option that is not a registry', () => {
    expect(() => decodeAmf3(hex`01`, { externalizables: {} as never })).toThrow(TypeError);
  });
});

describe('declared counts are checked against the bytes left before any allocation', () => {
  const MAX = 0x0fffffff; // the largest count a U29 header carries
  it.each<[string, Buffer, RegExp]>([
    ['an array of 2^28 − 1 elements', Buffer.concat([hex`09`, u29(MAX * 2 + 1), hex`01 04 01 04 02 04 03`]), /array elements/],
    ['a Vector.<int> of 2^28 − 1 items', Buffer.concat([hex`0d`, u29(MAX * 2 + 1), hex`00 00 00 00 01`]), /Vector.<int>/],
    ['a Vector.<uint> of 3 items in 8 bytes', hex`0e 07 00 00 00 00 01 00 00 00 02`, /Vector.<uint>/],
    ['a Vector.<Number> of 2 items in 8 bytes', hex`0f 05 00 3f f0 00 00 00 00 00 00`, /Vector.<double>/],
    ['a Vector.<Object> of 2^28 − 1 items', Buffer.concat([hex`10`, u29(MAX * 2 + 1), hex`00 01 01 01`]), /Vector.<Object>/],
    ['a Dictionary of 2^28 − 1 entries', Buffer.concat([hex`11`, u29(MAX * 2 + 1), hex`00 01 01`]), /Dictionary entries/],
    ['traits of 2^25 − 1 sealed members', Buffer.concat([hex`0a`, u29(0x1ffffff3), hex`01 03 61`]), /sealed member names/],
  ])('%s is a TruncatedInputError', (_name, bytes, what) => {
    expect(bytes.length).toBeLessThan(16);
    const error = catchError(() => decodeAmf3(bytes));
    expect(error).toBeInstanceOf(TruncatedInputError);
    expect((error as Error).message).toMatch(what);
    expect((error as Error).message).toContain('declared');
  });

  it.each<[string, Buffer]>([
    ['a string', Buffer.concat([hex`06`, u29(MAX * 2 + 1), hex`61`])],
    ['an XML text', Buffer.concat([hex`0b`, u29(MAX * 2 + 1), hex`61`])],
    ['a ByteArray', Buffer.concat([hex`0c`, u29(MAX * 2 + 1), hex`61`])],
  ])('%s of 2^28 − 1 bytes is a TruncatedInputError', (_name, bytes) => {
    expect(() => decodeAmf3(bytes)).toThrow(TruncatedInputError);
  });

  it('sealed values declared by a traits reference are checked too', () => {
    const bytes = hex`
      09 05 01                          # array of 2
      0a 33 01 03 61 03 62 03 63        # anonymous sealed [a, b, c]: traits 0
      01 01 01                          # a, b, c = null
      0a 01                             # traits 0 again: 3 values declared...
      01                                # ...1 byte left
    `;
    expect(() => decodeAmf3(bytes)).toThrow(/sealed member values/);
  });
});
