import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAmf0Values, encodeAmf0Values } from '../src/amf/amf0/index.js';
import { RtmpError } from '../src/errors/index.js';
import { amf0Body } from './fixtures/amf0/amf0-arbitraries.js';

/** Decodes and reports how it ended: values, or an error that must be an RtmpError. */
function decodeOrRtmpError(bytes: Uint8Array): void {
  try {
    decodeAmf0Values(bytes);
  } catch (error) {
    if (!RtmpError.isInstance(error)) throw error; // a TypeError/RangeError here is a bug
  }
}

/** Bytes that look like AMF0: markers, zero bytes of length fields, small lengths. */
const amf0ishByte = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x00, max: 0x11 }) },
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }) },
);

describe('AMF0 decoder on hostile bytes', () => {
  it('random bytes end in values or an RtmpError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => decodeOrRtmpError(bytes)), {
      numRuns: 3000,
    });
  });

  it('AMF0-looking random bytes end in values or an RtmpError', () => {
    fc.assert(
      fc.property(fc.array(amf0ishByte, { maxLength: 300 }), (bytes) => decodeOrRtmpError(Uint8Array.from(bytes))),
      { numRuns: 3000 },
    );
  });

  it('valid bodies with bytes overwritten end in values or an RtmpError', () => {
    fc.assert(
      fc.property(
        amf0Body({ longStrings: false }).filter((values) => values.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (values, edits) => {
          const bytes = Buffer.from(encodeAmf0Values(values));
          for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
          decodeOrRtmpError(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a body of nested arrays deeper than the limit fails fast with an RtmpError', () => {
    const deep = Buffer.alloc(5 * 100_000);
    for (let i = 0; i < 100_000; i++) deep.set([0x0a, 0, 0, 0, 1], i * 5);
    expect(() => decodeAmf0Values(deep)).toThrow(RtmpError);
  });

  it('a body of 100k back references stays linear: every reference is the same object', () => {
    const count = 100_000;
    const body = Buffer.alloc(4 + count * 3);
    body.set([0x03, 0x00, 0x00, 0x09]); // one empty object, index 0
    for (let i = 0; i < count; i++) body.set([0x07, 0x00, 0x00], 4 + i * 3);
    const values = decodeAmf0Values(body);
    expect(values).toHaveLength(count + 1);
    expect(new Set(values).size).toBe(1);
  });
});
