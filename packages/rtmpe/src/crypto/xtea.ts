import { type ByteOrder, readHalves, writeHalves } from './block-words.js';

/** The XTEA key schedule constant, ⌊2^32 / φ⌋. */
export const XTEA_DELTA = 0x9e3779b9;

/** Rounds of XTEA as Needham and Wheeler published it, and as RTMPE type 8 uses it. */
export const XTEA_ROUNDS = 32;

/**
 * XTEA encryption of one 64-bit block given as two uint32 words, with a key of four uint32
 * words. Returns the two encrypted words. (OpenSSL has no XTEA; this is the reference algorithm.)
 */
export function xteaEncryptWords(v0: number, v1: number, key: ArrayLike<number>, rounds = XTEA_ROUNDS): [number, number] {
  if (key.length !== 4) throw new RangeError(`an XTEA key has 4 words, got ${key.length}`);
  let a = v0 >>> 0;
  let b = v1 >>> 0;
  let sum = 0;
  for (let round = 0; round < rounds; round++) {
    a = (a + ((((b << 4) ^ (b >>> 5)) + b) ^ (sum + key[sum & 3]!))) >>> 0;
    sum = (sum + XTEA_DELTA) >>> 0;
    b = (b + ((((a << 4) ^ (a >>> 5)) + a) ^ (sum + key[(sum >>> 11) & 3]!))) >>> 0;
  }
  return [a, b];
}

/** The four key words of a 16-byte XTEA key, each read big-endian (the test vectors' convention). */
export function xteaKeyWords(key: Uint8Array): Uint32Array {
  if (key.length !== 16) throw new RangeError(`an XTEA key has 16 bytes, got ${key.length}`);
  const view = new DataView(key.buffer, key.byteOffset, 16);
  return Uint32Array.of(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12));
}

/**
 * Encrypts the 8-byte block at `block[offset..]` into a new 8-byte array. `order` says how the
 * bytes map to the two data words: `'big'` for the reference vectors, `'little'` for RTMPE type 8.
 */
export function xteaEncryptBlock(block: Uint8Array, key: ArrayLike<number>, order: ByteOrder, offset = 0): Uint8Array {
  const [v0, v1] = readHalves(block, offset, order);
  const [e0, e1] = xteaEncryptWords(v0, v1, key);
  const out = new Uint8Array(8);
  writeHalves(out, 0, e0, e1, order);
  return out;
}
