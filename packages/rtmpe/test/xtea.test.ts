import { describe, expect, it } from 'vitest';
import { XTEA_DELTA, xteaEncryptBlock, xteaEncryptWords, xteaKeyWords } from '../src/crypto/xtea.js';
import { hex } from './helpers/hex.js';

/**
 * The usual XTEA known-answer vectors (32 rounds; key, plaintext and ciphertext as bytes, each
 * 32-bit word big-endian), as listed in FFmpeg's libavutil/tests/xtea.c.
 */
const VECTORS = [
  { key: '000102030405060708090a0b0c0d0e0f', plain: '4142434445464748', cipher: '497df3d072612cb5' },
  { key: '000102030405060708090a0b0c0d0e0f', plain: '4141414141414141', cipher: 'e78f2d13744341d8' },
  { key: '000102030405060708090a0b0c0d0e0f', plain: '5a5b6e278948d77f', cipher: '4141414141414141' },
  { key: '00000000000000000000000000000000', plain: '4142434445464748', cipher: 'a0390589f8b8efa5' },
  { key: '00000000000000000000000000000000', plain: '4141414141414141', cipher: 'ed23375a821a8c2d' },
  { key: '00000000000000000000000000000000', plain: '70e1225d6e4e7655', cipher: '4141414141414141' },
];

/** Reverses the bytes of each 32-bit word: the same block seen with the other byte order. */
function swapWords(bytes: Uint8Array): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i += 4) out.subarray(i, i + 4).reverse();
  return out;
}

describe('XTEA', () => {
  it('the delta is floor(2^32 / golden ratio)', () => {
    expect(XTEA_DELTA).toBe(Math.floor(2 ** 32 / ((1 + Math.sqrt(5)) / 2)));
  });

  for (const [index, { key, plain, cipher }] of VECTORS.entries()) {
    it(`reference vector ${index + 1}: ${plain} -> ${cipher}`, () => {
      const out = xteaEncryptBlock(hex(plain), xteaKeyWords(hex(key)), 'big');
      expect(Buffer.from(out).toString('hex')).toBe(cipher);
    });
  }

  it("little-endian mode (RTMPE type 8) reads and writes each data word's bytes reversed", () => {
    for (const { key, plain, cipher } of VECTORS) {
      const out = xteaEncryptBlock(swapWords(hex(plain)), xteaKeyWords(hex(key)), 'little');
      expect(Buffer.from(out)).toEqual(swapWords(hex(cipher)));
    }
  });

  it('works on a block inside a larger buffer and leaves the buffer alone', () => {
    const buffer = Buffer.concat([Buffer.from('xyz'), hex(VECTORS[0]!.plain), Buffer.from('!')]);
    const copy = Buffer.from(buffer);
    const out = xteaEncryptBlock(buffer, xteaKeyWords(hex(VECTORS[0]!.key)), 'big', 3);
    expect(Buffer.from(out).toString('hex')).toBe(VECTORS[0]!.cipher);
    expect(buffer).toEqual(copy);
  });

  it('more rounds give a different block (the round count is used)', () => {
    const key = xteaKeyWords(hex(VECTORS[0]!.key));
    expect(xteaEncryptWords(0x41424344, 0x45464748, key, 64)).not.toEqual(xteaEncryptWords(0x41424344, 0x45464748, key));
  });

  it('refuses keys that are not 4 words / 16 bytes and blocks that overrun the buffer', () => {
    expect(() => xteaEncryptWords(0, 0, [1, 2, 3])).toThrow(RangeError);
    expect(() => xteaKeyWords(new Uint8Array(15))).toThrow(RangeError);
    expect(() => xteaEncryptBlock(new Uint8Array(10), [0, 0, 0, 0], 'big', 4)).toThrow(RangeError);
  });
});
