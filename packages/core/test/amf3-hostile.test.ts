import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../src/bytes/index.js';
import { RtmpError } from '../src/errors/index.js';
import type { AmfValue } from '../src/amf/amf-value.js';
import { encodeAmf3, readAmf3 } from '../src/amf/amf3/index.js';
import { graph } from './fixtures/amf3/arbitrary-amf3.js';

describe('hostile AMF3 bytes', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);

  /** Decodes hostile bytes: it may end in an RtmpError and nothing else; what decodes re-encodes. */
  function decodeHostile(bytes: Uint8Array): void {
    let value: AmfValue;
    try {
      value = readAmf3(new ByteReader(bytes));
    } catch (error) {
      expect(RtmpError.isInstance(error), String(error)).toBe(true);
      return;
    }
    try {
      encodeAmf3(value);
    } catch (error) {
      expect(RtmpError.isInstance(error), String(error)).toBe(true);
    }
  }

  it('random bytes end in a value or an RtmpError, nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x13 }), fc.uint8Array({ maxLength: 48 }), (marker, rest) => {
        decodeHostile(Buffer.concat([Buffer.from([marker]), rest]));
      }),
      { numRuns: 3000 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys);
  });

  it('damaged valid encodings end in a value or an RtmpError, nothing else', () => {
    fc.assert(
      fc.property(
        graph,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (make, damage, cut) => {
          const bytes = Buffer.from(encodeAmf3(make()));
          for (const [at, byte] of damage) bytes[at % bytes.length] = byte;
          decodeHostile(bytes);
          decodeHostile(bytes.subarray(0, cut % (bytes.length + 1)));
        },
      ),
      { numRuns: 400 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys);
  });
});

