import { AmfEncodeError } from '../../errors/index.js';
import type { ByteReader, ByteWriter } from '../../bytes/index.js';

/**
 * The AMF3 variable-length unsigned 29-bit integer (AMF3 spec §1.3.1). Three bytes carry 7 bits
 * each (top bit = "more follows"); a fourth carries all 8, so the largest value is 0x1FFFFFFF,
 * not the 0x3FFFFFFF the spec's table prints.
 */
export const U29_MAX = 0x1fffffff;

/** Smallest integer the integer marker (0x04) carries: −2^28. */
export const INT29_MIN = -0x10000000;

/** Largest integer the integer marker (0x04) carries: 2^28 − 1. */
export const INT29_MAX = 0x0fffffff;

/** Largest length or count an inline U29 header can carry (the low bit is the inline flag). */
export const U29_MAX_LENGTH = 0x0fffffff;

/** Reads a U29. Non-minimal forms (`80 00`) are accepted, as Flash accepts them. */
export function readU29(reader: ByteReader): number {
  let byte = reader.u8();
  if (byte < 0x80) return byte;
  let value = (byte & 0x7f) << 7;
  byte = reader.u8();
  if (byte < 0x80) return value | byte;
  value = (value | (byte & 0x7f)) << 7;
  byte = reader.u8();
  if (byte < 0x80) return value | byte;
  value = (value | (byte & 0x7f)) << 8;
  return value | reader.u8();
}

/** Writes a U29 in its shortest form; throws `AmfEncodeError` outside 0..0x1FFFFFFF. */
export function writeU29(writer: ByteWriter, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > U29_MAX) {
    throw new AmfEncodeError(`U29 value ${value} is outside 0..0x1FFFFFFF`);
  }
  if (value < 0x80) {
    writer.u8(value);
  } else if (value < 0x4000) {
    writer.u8((value >>> 7) | 0x80).u8(value & 0x7f);
  } else if (value < 0x200000) {
    writer.u8((value >>> 14) | 0x80).u8(((value >>> 7) & 0x7f) | 0x80).u8(value & 0x7f);
  } else {
    writer
      .u8((value >>> 22) | 0x80)
      .u8(((value >>> 15) & 0x7f) | 0x80)
      .u8(((value >>> 8) & 0x7f) | 0x80)
      .u8(value & 0xff);
  }
}

/** True for numbers the integer marker can carry exactly (−0 is not one: it needs a double). */
export function isInt29(value: number): boolean {
  return Number.isInteger(value) && value >= INT29_MIN && value <= INT29_MAX && !Object.is(value, -0);
}

/** Reads the body of an integer (0x04): a U29 read as 29-bit two's complement. */
export function readInt29(reader: ByteReader): number {
  const raw = readU29(reader);
  return raw & 0x10000000 ? raw - 0x20000000 : raw;
}

/** Writes the body of an integer (0x04); the caller has checked `isInt29(value)`. */
export function writeInt29(writer: ByteWriter, value: number): void {
  writeU29(writer, value & U29_MAX);
}

/**
 * Writes an inline header: (count << 1) | 1. `what` names the value for the error when the
 * count does not fit in 28 bits.
 */
export function writeInlineHeader(writer: ByteWriter, count: number, what: string): void {
  if (count > U29_MAX_LENGTH) {
    throw new AmfEncodeError(`${what} of ${count} is too long for AMF3 (at most ${U29_MAX_LENGTH})`);
  }
  writeU29(writer, count * 2 + 1);
}
