import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../src/index.js';
import { hex } from './helpers/hex.js';

describe('Internet checksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 example: words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d', () => {
    expect(internetChecksum(hex`00 01 f2 03 f4 f5 f6 f7`)).toBe(0x220d);
  });

  it('counts an odd last byte as a high byte', () => {
    expect(internetChecksum(hex`00 01 f2`)).toBe(~(0x0001 + 0xf200) & 0xffff);
  });

  it('is ffff for nothing and for zeros', () => {
    expect(internetChecksum(hex``)).toBe(0xffff);
    expect(internetChecksum(Buffer.alloc(9))).toBe(0xffff);
  });

  it('folds carries more than once', () => {
    expect(internetChecksum(Buffer.alloc(4000, 0xff))).toBe(0x0000);
  });

  it('gives a sum of ffff (verifies) once the checksum is placed in front of even-length data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }).filter((b) => b.length % 2 === 0), (data) => {
        const withSum = Buffer.concat([Buffer.alloc(2), data]);
        withSum.writeUInt16BE(internetChecksum(data), 0);
        expect(internetChecksum(withSum)).toBe(0);
      }),
    );
  });

  it('reads only the given range', () => {
    const bytes = hex`ff ff 00 01 f2 03 f4 f5 f6 f7 ff`;
    expect(internetChecksum(bytes, 2, 10)).toBe(0x220d);
  });
});
