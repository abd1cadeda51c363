import { getDiffieHellman } from 'node:crypto';
import { HandshakeError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { RTMPE_DH_P, RTMPE_DH_PRIME, RTMPE_DH_Q } from '../src/crypto/dh-group.js';
import {
  checkPublicKey,
  computeSharedSecret,
  generateKeyPair,
  layOutSecret,
  publicKeyProblem,
  sharedSecretValue,
} from '../src/crypto/dh.js';
import { modPow, seededPrivateKey, toBigint, toBytes } from './helpers/bigint.js';

describe('the RTMPE Diffie-Hellman group', () => {
  it('is node:crypto modp2 (RFC 2409 second Oakley group), g = 2', () => {
    const modp2 = getDiffieHellman('modp2');
    expect(RTMPE_DH_PRIME).toEqual(modp2.getPrime());
    expect(modp2.getGenerator()).toEqual(Buffer.of(2));
    expect(RTMPE_DH_PRIME).toHaveLength(128);
  });

  it('P ≡ 7 (mod 8), so g = 2 lies in the order-Q subgroup and honest keys pass y^Q = 1', () => {
    expect(RTMPE_DH_P % 8n).toBe(7n);
    expect(RTMPE_DH_Q * 2n + 1n).toBe(RTMPE_DH_P);
    expect(modPow(2n, RTMPE_DH_Q, RTMPE_DH_P)).toBe(1n);
  });
});

describe('key pairs', () => {
  it('the public key is g^x mod P as 128 bytes', () => {
    const pair = generateKeyPair();
    expect(pair.publicKey).toHaveLength(128);
    expect(toBigint(pair.publicKey)).toBe(modPow(2n, toBigint(pair.privateKey), RTMPE_DH_P));
  });

  it('a public key shorter than 128 bytes is padded with zeros on the left', () => {
    // x = 1000: 2^1000 needs 126 bytes.
    const pair = generateKeyPair(toBytes(1000n, 2));
    expect(pair.publicKey).toHaveLength(128);
    expect([...pair.publicKey.subarray(0, 3)]).toEqual([0, 0, 1]);
    expect(toBigint(pair.publicKey)).toBe(1n << 1000n);
  });

  it('fresh key pairs differ', () => {
    expect(generateKeyPair().publicKey).not.toEqual(generateKeyPair().publicKey);
  });
});

describe('peer key checks', () => {
  const P = RTMPE_DH_P;
  const key = (y: bigint) => toBytes(y, 128);

  it('accepts 2 and honest keys', () => {
    expect(publicKeyProblem(key(2n))).toBeUndefined();
    expect(publicKeyProblem(generateKeyPair().publicKey)).toBeUndefined();
  });

  it('refuses 0, 1, P-1 and P (outside 2..P-2)', () => {
    expect(publicKeyProblem(key(0n))).toMatch(/below 2/);
    expect(publicKeyProblem(key(1n))).toMatch(/below 2/);
    expect(publicKeyProblem(key(P - 1n))).toMatch(/above P - 2/);
    expect(publicKeyProblem(key(P))).toMatch(/above P - 2/);
    expect(publicKeyProblem(Buffer.alloc(128, 0xff))).toMatch(/above P - 2/);
  });

  it('refuses a key in range but outside the subgroup: P-2 (= -2, a non-residue since P ≡ 7 mod 8)', () => {
    expect(modPow(P - 2n, RTMPE_DH_Q, P)).toBe(P - 1n);
    expect(publicKeyProblem(key(P - 2n))).toMatch(/subgroup/);
  });

  it('y^Q is checked for real: random bytes fail about half the time', () => {
    let failures = 0;
    for (let i = 0; i < 40; i++) {
      const y = toBigint(seededPrivateKey('random-y', i).subarray(0, 127)); // below P
      const expected = modPow(y, RTMPE_DH_Q, P) === 1n;
      expect(publicKeyProblem(key(y)) === undefined, `y #${i}`).toBe(expected);
      if (!expected) failures++;
    }
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('refuses a key that is not 128 bytes; checkPublicKey throws a HandshakeError', () => {
    expect(publicKeyProblem(Buffer.alloc(127, 1))).toMatch(/128 bytes/);
    expect(() => checkPublicKey(key(1n))).toThrow(HandshakeError);
    expect(() => sharedSecretValue(generateKeyPair(), key(P - 2n))).toThrow(HandshakeError);
  });
});

describe('the shared secret', () => {
  it('both sides get (peer public)^(own private) mod P', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    const expected = modPow(toBigint(b.publicKey), toBigint(a.privateKey), RTMPE_DH_P);
    expect(sharedSecretValue(a, b.publicKey)).toBe(expected);
    expect(sharedSecretValue(b, a.publicKey)).toBe(expected);
    expect(computeSharedSecret(a, b.publicKey, 'trailing-zeros')).toEqual(computeSharedSecret(b, a.publicKey, 'trailing-zeros'));
  });

  it('a secret with a leading zero byte: trailing-zeros (FFmpeg, librtmp+OpenSSL) vs leading-zeros (librtmp+GnuTLS)', () => {
    const client = generateKeyPair(seededPrivateKey('client', 0));
    let server = generateKeyPair(seededPrivateKey('server', 0));
    let counter = 0;
    // About 1 secret in 256 is shorter than 128 bytes; search deterministically for one.
    while (sharedSecretValue(client, server.publicKey) >> 1016n !== 0n) server = generateKeyPair(seededPrivateKey('server', ++counter));
    const value = sharedSecretValue(client, server.publicKey);
    const digits = value.toString(16);
    const minimal = Buffer.from(digits.length % 2 === 0 ? digits : `0${digits}`, 'hex');
    expect(minimal.length).toBeLessThan(128);

    const trailing = computeSharedSecret(client, server.publicKey, 'trailing-zeros');
    expect(trailing.subarray(0, minimal.length)).toEqual(minimal);
    expect(trailing.subarray(minimal.length)).toEqual(Buffer.alloc(128 - minimal.length));
    expect(trailing[0]).not.toBe(0);

    const leading = computeSharedSecret(client, server.publicKey, 'leading-zeros');
    expect(leading[0]).toBe(0);
    expect(leading).toEqual(toBytes(value, 128));
    expect(leading).not.toEqual(trailing);
  });

  it('a 128-byte secret is the same in both layouts; small secrets too are laid out as said', () => {
    const full = (1n << 1020n) + 12345n;
    expect(layOutSecret(full, 'trailing-zeros')).toEqual(layOutSecret(full, 'leading-zeros'));
    expect([...layOutSecret(0x0102n, 'trailing-zeros').subarray(0, 3)]).toEqual([1, 2, 0]);
    expect([...layOutSecret(0x0102n, 'leading-zeros').subarray(125)]).toEqual([0, 1, 2]);
  });
});
