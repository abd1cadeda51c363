import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { RtmfpHandshakeError } from '../errors.js';
import type { DhGroup } from './dh-group.js';
import type { RandomSource } from './random.js';

const GENERATOR = Buffer.from([2]);
const engines = new Map<number, DiffieHellman>();

/**
 * One OpenSSL DH object per group, made on first use and reused: making one checks the prime,
 * which costs about 100 ms for group 2 (OpenSSL 3 does not know it as a named group). Every
 * use sets the private key first, and JavaScript runs one use at a time, so sharing is safe.
 */
function engine(group: DhGroup, privateKey: Buffer): DiffieHellman {
  let dh = engines.get(group.id);
  if (!dh) {
    dh = createDiffieHellman(group.prime, GENERATOR);
    engines.set(group.id, dh);
  }
  dh.setPrivateKey(privateKey);
  return dh;
}
const TWO_TO_24 = 1n << 24n;

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Leading zero bytes removed: the minimal big-endian form OpenSSL's `BN_bn2bin` gives. */
export function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function countBits(bytes: Uint8Array): { ones: number; zeros: number } {
  let ones = 0;
  let zeros = 0;
  let seenOne = false;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      if ((byte >> bit) & 1) { ones++; seenOne = true; } else if (seenOne) zeros++;
    }
  }
  return { ones, zeros };
}

/**
 * Checks a peer's public key as RFC 7425 §4.6.2 asks (as rtmfp-cpp implements it):
 * 2^24 ≤ y ≤ p − 2^24, and at least 16 one bits and 16 zero bits after the leading zeros.
 * Any length up to the modulus is accepted (leading zeros allowed). Throws `RtmfpHandshakeError`.
 */
export function checkDhPublicKey(group: DhGroup, publicKey: Uint8Array): void {
  if (publicKey.length > group.prime.length) {
    throw new RtmfpHandshakeError('public-key', `a group ${group.id} public key has at most ${group.prime.length} bytes, not ${publicKey.length}`);
  }
  const y = toBigInt(publicKey);
  if (y < TWO_TO_24 || y > toBigInt(group.prime) - TWO_TO_24) {
    throw new RtmfpHandshakeError('public-key', `group ${group.id} public key out of range [2^24, p - 2^24]`);
  }
  const { ones, zeros } = countBits(publicKey);
  if (ones < 16 || zeros < 16) {
    throw new RtmfpHandshakeError('public-key', `group ${group.id} public key has too few one or zero bits (${ones}, ${zeros})`);
  }
}

/** One side's Diffie-Hellman key pair in one group. */
export class DhKeyPair {
  /** Big-endian public key `2^x mod p`, always as long as the modulus (see `generateDhKeyPair`). */
  readonly publicKey: Buffer;
  private readonly privateKey: Buffer;

  /** Builds the pair from a private exponent (big-endian). */
  constructor(readonly group: DhGroup, privateKey: Uint8Array) {
    this.privateKey = Buffer.from(privateKey);
    this.publicKey = Buffer.from(stripLeadingZeros(engine(group, this.privateKey).generateKeys()));
  }

  /**
   * The shared secret with `peerPublicKey`, after the §4.6.2 checks, in minimal form (no
   * leading zero bytes), which is what OpenSSL, rtmfp-cpp, Cumulus and MonaServer hash.
   */
  computeSecret(peerPublicKey: Uint8Array): Buffer {
    checkDhPublicKey(this.group, peerPublicKey);
    try {
      return Buffer.from(stripLeadingZeros(engine(this.group, this.privateKey).computeSecret(Buffer.from(peerPublicKey))));
    } catch (error) {
      throw new RtmfpHandshakeError('public-key', `group ${this.group.id}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * A fresh key pair: a private exponent of `group.exponentBytes` random bytes with its top bit
 * set. Draws again until the public key has no leading zero byte (about 1 time in 256), so the
 * minimal form and the full-length form are the same bytes: Flash-era servers expect a
 * 128-byte group 2 key, OpenSSL-based peers expect the minimal form, and this satisfies both.
 */
export function generateDhKeyPair(group: DhGroup, random: RandomSource): DhKeyPair {
  for (let attempt = 0; attempt < 64; attempt++) {
    const privateKey = Buffer.from(random(group.exponentBytes));
    privateKey[0]! |= 0x80;
    const pair = new DhKeyPair(group, privateKey);
    if (pair.publicKey.length === group.prime.length) return pair;
  }
  throw new Error('the random source keeps giving private keys whose public key is short: is it random?');
}
