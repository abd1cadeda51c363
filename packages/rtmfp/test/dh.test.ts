import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DH_GROUP_14, DH_GROUP_2, DhKeyPair, RtmfpHandshakeError, checkDhPublicKey, dhGroup, generateDhKeyPair, stripLeadingZeros } from '../src/index.js';
import { hex } from './helpers/hex.js';
import { seededRandom } from './helpers/random.js';

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  for (; exponent > 0n; exponent >>= 1n, base = (base * base) % modulus) if (exponent & 1n) result = (result * base) % modulus;
  return result;
}
const big = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
/** The private key generateDhKeyPair draws from seededRandom(seed) in group 2 (top bit forced). */
function seededRandomKey(seed: string): Buffer {
  const key = seededRandom(seed)(28);
  key[0]! |= 0x80;
  return key;
}

describe('Diffie-Hellman groups 2 and 14', () => {
  it("uses the same primes as Node's modp2 and modp14 groups", () => {
    expect(DH_GROUP_2.prime).toEqual(getDiffieHellman('modp2').getPrime());
    expect(DH_GROUP_14.prime).toEqual(getDiffieHellman('modp14').getPrime());
  });

  it('uses the RFC primes: 1024 bits (group 2) and 2048 bits (group 14), both starting and ending in 64 one bits', () => {
    expect(DH_GROUP_2.prime.length).toBe(128);
    expect(DH_GROUP_14.prime.length).toBe(256);
    for (const group of [DH_GROUP_2, DH_GROUP_14]) {
      expect(group.prime.subarray(0, 8)).toEqual(Buffer.alloc(8, 0xff));
      expect(group.prime.subarray(-8)).toEqual(Buffer.alloc(8, 0xff));
    }
    expect(DH_GROUP_2.prime.subarray(8, 12)).toEqual(hex`c9 0f da a2`); // π begins here in both
    expect(dhGroup(5)).toBeUndefined();
    expect(dhGroup(16)).toBeUndefined();
  });

  it('computes 2^x mod p for an injected private key', () => {
    const x = hex`0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c`;
    const pair = new DhKeyPair(DH_GROUP_2, x);
    expect(big(pair.publicKey)).toBe(modPow(2n, big(x), big(DH_GROUP_2.prime)));
  });

  it('agrees on a secret in both groups', () => {
    for (const group of [DH_GROUP_2, DH_GROUP_14]) {
      const a = generateDhKeyPair(group, seededRandom(`a${group.id}`));
      const b = generateDhKeyPair(group, seededRandom(`b${group.id}`));
      expect(a.publicKey.length).toBe(group.prime.length);
      expect(a.computeSecret(b.publicKey)).toEqual(b.computeSecret(a.publicKey));
    }
  });

  it('key pairs of one group do not disturb each other (they share one OpenSSL object)', () => {
    const pairs = [1, 2, 3].map((i) => generateDhKeyPair(DH_GROUP_2, seededRandom(`share${i}`)));
    const p = big(DH_GROUP_2.prime);
    const [a, b, c] = pairs as [DhKeyPair, DhKeyPair, DhKeyPair];
    const ab = a.computeSecret(b.publicKey);
    c.computeSecret(a.publicKey); // leaves c's key in the shared object
    expect(b.computeSecret(a.publicKey)).toEqual(ab);
    expect(a.computeSecret(b.publicKey)).toEqual(ab);
    expect(big(ab)).toBe(modPow(big(b.publicKey), big(seededRandomKey('share1')), p));
  });

  it('draws private keys of 224 (group 2) and 320 (group 14) bits with the top bit set', () => {
    const sizes: number[] = [];
    const random = (size: number) => { sizes.push(size); return Buffer.alloc(size, 0x11); };
    generateDhKeyPair(DH_GROUP_2, random);
    generateDhKeyPair(DH_GROUP_14, random);
    expect(sizes).toEqual([28, 40]);
  });

  it('gives the secret in minimal form (no leading zero bytes), as OpenSSL does', () => {
    // Search a few private keys for a secret with a leading zero byte (about 1 in 256).
    const peer = generateDhKeyPair(DH_GROUP_2, seededRandom('peer'));
    let found: Buffer | undefined;
    for (let i = 0; i < 2000 && !found; i++) {
      const secret = generateDhKeyPair(DH_GROUP_2, seededRandom(`lz${i}`)).computeSecret(peer.publicKey);
      if (secret.length < 128) found = secret;
    }
    expect(found).toBeDefined();
    expect(found![0]).not.toBe(0);
    expect(stripLeadingZeros(hex`00 00 01 02`)).toEqual(hex`01 02`);
    expect(stripLeadingZeros(hex`00`)).toEqual(hex`00`);
  });

  it('accepts a short peer key, bare or zero-padded to the modulus length', () => {
    const a = generateDhKeyPair(DH_GROUP_2, seededRandom('a'));
    let b: DhKeyPair | undefined;
    for (let i = 0; i < 4000 && !b; i++) {
      const candidate = new DhKeyPair(DH_GROUP_2, seededRandom(`short${i}`)(28));
      if (candidate.publicKey.length < 128) b = candidate;
    }
    expect(b).toBeDefined();
    const padded = Buffer.concat([Buffer.alloc(128 - b!.publicKey.length), b!.publicKey]);
    expect(padded.length).toBe(128);
    expect(a.computeSecret(b!.publicKey)).toEqual(b!.computeSecret(a.publicKey));
    expect(a.computeSecret(padded)).toEqual(b!.computeSecret(a.publicKey));
  });

  it('refuses public keys that RFC 7425 §4.6.2 rules out', () => {
    const p = big(DH_GROUP_2.prime);
    const toBytes = (n: bigint) => Buffer.from(n.toString(16).padStart(256, '0'), 'hex');
    const cases: [string, Buffer][] = [
      ['zero', Buffer.alloc(128)],
      ['one', toBytes(1n)],
      ['below 2^24', toBytes((1n << 24n) - 1n)],
      ['p - 1', toBytes(p - 1n)],
      ['above p - 2^24', toBytes(p - (1n << 24n) + 1n)],
      ['too few zero bits', toBytes((1n << 1000n) - 1n)],
      ['too few one bits', toBytes((1n << 1000n) + (1n << 500n) + 1n)],
      ['longer than the modulus', Buffer.concat([hex`01`, DH_GROUP_2.prime])],
    ];
    for (const [what, key] of cases) {
      expect(() => checkDhPublicKey(DH_GROUP_2, key), what).toThrow(RtmfpHandshakeError);
    }
    expect(() => checkDhPublicKey(DH_GROUP_2, toBytes(1n << 24n | 0xaaaaaaaaaan))).not.toThrow();
  });
});
