import fc from 'fast-check';
import { ByteReader, RtmpProtocolError, TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { encodeVlu, MAX_VLU_BYTES, readVlu, readVluField, vluLength } from '../src/index.js';
import { hex } from './helpers/hex.js';

describe('VLU (RFC 7016 §2.1.2)', () => {
  it.each([
    [0, '00'], // one group, no continuation bit
    [127, '7f'], // the largest one-byte value
    [128, '8100'], // 1·128 + 0: continuation bit on the first byte
    [130, '8102'],
    [132, '8104'],
    [16383, 'ff7f'], // 127·128 + 127: Flash's buffer advertisement
    [16384, '818000'], // three groups
  ])('%i ↔ %s', (value, bytes) => {
    expect(encodeVlu(value).toString('hex')).toBe(bytes);
    expect(readVlu(new ByteReader(Buffer.from(bytes, 'hex')))).toBe(value);
    expect(vluLength(value)).toBe(bytes.length / 2);
  });

  it('round-trips every safe integer and uses the fewest bytes', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        const bytes = encodeVlu(value);
        const reader = new ByteReader(bytes);
        expect(readVlu(reader)).toBe(value);
        expect(reader.remaining).toBe(0);
        expect(bytes.length).toBe(Math.max(1, Math.ceil(value.toString(2).length / 7)));
      }),
    );
  });

  it('reads the largest safe integer in 8 bytes', () => {
    const bytes = encodeVlu(Number.MAX_SAFE_INTEGER);
    expect(bytes.length).toBe(MAX_VLU_BYTES);
    expect(readVlu(new ByteReader(bytes))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('accepts a non-minimal form (leading 80 groups)', () => {
    expect(readVlu(new ByteReader(hex`80 80 05`))).toBe(5);
  });

  it('refuses a ninth byte and values past the largest safe integer', () => {
    expect(() => readVlu(new ByteReader(hex`80 80 80 80 80 80 80 80 01`))).toThrow(RtmpProtocolError);
    expect(() => readVlu(new ByteReader(hex`90 80 80 80 80 80 80 00`))).toThrow(RtmpProtocolError); // 2^53
  });

  it('throws TruncatedInputError when the bytes end inside a VLU or a field', () => {
    expect(() => readVlu(new ByteReader(hex`81`))).toThrow(TruncatedInputError);
    expect(() => readVlu(new ByteReader(hex``))).toThrow(TruncatedInputError);
    expect(() => readVluField(new ByteReader(hex`05 01 02`))).toThrow(TruncatedInputError);
  });

  it('reads a field as a view of its bytes', () => {
    const input = hex`03 aa bb cc dd`;
    const reader = new ByteReader(input);
    const field = readVluField(reader);
    expect(field.toString('hex')).toBe('aabbcc');
    expect(field.buffer).toBe(input.buffer);
    expect(reader.remaining).toBe(1);
  });

  it('refuses to encode negative or fractional values', () => {
    expect(() => encodeVlu(-1)).toThrow(RangeError);
    expect(() => encodeVlu(1.5)).toThrow(RangeError);
  });
});
