import { describe, expect, it } from 'vitest';
import { Blowfish } from '../src/crypto/blowfish.js';
import { xteaEncryptWords } from '../src/crypto/xtea.js';
import { rtmpeSignature, signatureKeyRow } from '../src/rtmpe/signature-cipher.js';
import { RTMPE_BLOWFISH_KEYS, RTMPE_XTEA_KEYS } from '../src/rtmpe/signature-keys.js';

const SIGNATURE = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff));

/** An intermediate key whose bytes 0, 8, 16, 24 are the given values (the rest noise). */
function signatureKey(at0: number, at8: number, at16: number, at24: number): Buffer {
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 91 + 5) & 0xff));
  key[0] = at0;
  key[8] = at8;
  key[16] = at16;
  key[24] = at24;
  return key;
}

/** The fact sheet's reading of a block: two little-endian words in, two little-endian words out. */
function byHand(block: Buffer, encrypt: (l: number, r: number) => [number, number]): Buffer {
  const [l, r] = encrypt(block.readUInt32LE(0), block.readUInt32LE(4));
  const out = Buffer.alloc(8);
  out.writeUInt32LE(l, 0);
  out.writeUInt32LE(r, 4);
  return out;
}

describe('the RTMPE C2/S2 signature cipher', () => {
  it('picks rows with k[i] % 15: 15 gives row 0, 29 row 14, 255 row 0, so row 15 is never used', () => {
    const key = signatureKey(15, 29, 255, 7);
    expect([0, 8, 16, 24].map((offset) => signatureKeyRow(key, offset))).toEqual([0, 14, 0, 7]);
    const rows = new Set(Array.from({ length: 256 }, (_, byte) => signatureKeyRow(Buffer.of(byte), 0)));
    expect(rows.size).toBe(15);
    expect(rows.has(15)).toBe(false);
  });

  it('type 6 leaves the signature as it is, in a copy', () => {
    const out = rtmpeSignature(6, SIGNATURE, signatureKey(1, 2, 3, 4));
    expect(out).toEqual(SIGNATURE);
    expect(out).not.toBe(SIGNATURE);
  });

  it('type 8 XTEA-encrypts each 8-byte block, little-endian words, with table row k[i] % 15', () => {
    const key = signatureKey(15, 29, 255, 7);
    const out = rtmpeSignature(8, SIGNATURE, key);
    const rows = [0, 14, 0, 7];
    for (let block = 0; block < 4; block++) {
      const expected = byHand(SIGNATURE.subarray(block * 8, block * 8 + 8), (l, r) => xteaEncryptWords(l, r, RTMPE_XTEA_KEYS[rows[block]!]!));
      expect(out.subarray(block * 8, block * 8 + 8), `block ${block}`).toEqual(expected);
    }
    // Row 15 (k % 16 would pick it for k = 15) gives something else.
    const row15 = byHand(SIGNATURE.subarray(0, 8), (l, r) => xteaEncryptWords(l, r, RTMPE_XTEA_KEYS[15]!));
    expect(out.subarray(0, 8)).not.toEqual(row15);
  });

  it('type 9 Blowfish-encrypts each 8-byte block, little-endian halves, with table row k[i] % 15', () => {
    const key = signatureKey(44, 3, 200, 15);
    const out = rtmpeSignature(9, SIGNATURE, key);
    const rows = [44 % 15, 3, 200 % 15, 0];
    for (let block = 0; block < 4; block++) {
      const cipher = new Blowfish(RTMPE_BLOWFISH_KEYS[rows[block]!]!);
      const expected = byHand(SIGNATURE.subarray(block * 8, block * 8 + 8), (l, r) => cipher.encryptWords(l, r));
      expect(out.subarray(block * 8, block * 8 + 8), `block ${block}`).toEqual(expected);
    }
  });

  it('types 8 and 9 differ from each other and from the plain signature, and do not touch the input', () => {
    const copy = Buffer.from(SIGNATURE);
    const key = signatureKey(1, 2, 3, 4);
    const xtea = rtmpeSignature(8, SIGNATURE, key);
    const blowfish = rtmpeSignature(9, SIGNATURE, key);
    expect(xtea).not.toEqual(SIGNATURE);
    expect(blowfish).not.toEqual(SIGNATURE);
    expect(xtea).not.toEqual(blowfish);
    expect(SIGNATURE).toEqual(copy);
  });

  it('the key tables have the fact sheet\'s shape and corner values', () => {
    expect(RTMPE_XTEA_KEYS).toHaveLength(16);
    expect(RTMPE_XTEA_KEYS[0]).toEqual([0xbff034b2, 0x11d9081f, 0xccdfb795, 0x748de732]);
    expect(RTMPE_XTEA_KEYS[14]).toEqual([0xfeb1eae4, 0x8c8c3ce1, 0x4e0064a7, 0x6a387c2a]);
    expect(RTMPE_BLOWFISH_KEYS).toHaveLength(16);
    expect(RTMPE_BLOWFISH_KEYS.every((row) => row.length === 24)).toBe(true);
    expect(RTMPE_BLOWFISH_KEYS[0]!.toString('hex')).toBe('7934774c67d1383adfb356be8b7bd02438e07358415d6967');
    expect(RTMPE_BLOWFISH_KEYS[14]!.toString('hex')).toBe('2b97118bd94ed9df20e39c10e6a1352111f9130d0b2465b2');
  });

  it('refuses a signature or key that is not 32 bytes (types 8 and 9)', () => {
    expect(() => rtmpeSignature(8, SIGNATURE.subarray(0, 31), signatureKey(0, 0, 0, 0))).toThrow(RangeError);
    expect(() => rtmpeSignature(9, SIGNATURE, Buffer.alloc(16))).toThrow(RangeError);
  });
});
