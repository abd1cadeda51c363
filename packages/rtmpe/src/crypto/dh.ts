import { type DiffieHellman, createDiffieHellman, randomBytes } from 'node:crypto';
import { HandshakeError } from '@rtmpkit/core';
import {
  RTMPE_DH_GENERATOR,
  RTMPE_DH_P,
  RTMPE_DH_PRIME,
  RTMPE_DH_Q,
  RTMPE_DH_SIZE,
  bigintFromBytes,
  leftPadded,
  minimalBytes,
} from './dh-group.js';

/**
 * How the shared secret is laid into the 128 bytes that key the RC4-key HMAC. They differ only
 * when the secret is shorter than 128 bytes (about 1 time in 256).
 * - `'trailing-zeros'`: the minimal big-endian bytes from offset 0, zeros after them. FFmpeg
 *   (`rtmpdh.c`) and librtmp built with OpenSSL (`DH_compute_key`) do this.
 * - `'leading-zeros'`: the usual fixed-width big-endian form, zeros first. librtmp built with
 *   GnuTLS/nettle (`nettle_mpz_get_str_256`, e.g. Debian's rtmpdump/rtmpsrv) and with PolarSSL
 *   (`mpi_write_binary`) do this.
 */
export type SecretPadding = 'trailing-zeros' | 'leading-zeros';

/** One side's Diffie-Hellman key pair. */
export interface DhKeyPair {
  /** The private exponent, big-endian. Keep it to yourself. */
  readonly privateKey: Buffer;
  /** g^x mod P as 128 big-endian bytes, zeros on the left: what goes into C1/S1. */
  readonly publicKey: Buffer;
}

/**
 * One node:crypto object on the RTMPE group for the whole process: making one checks that P is a
 * safe prime (about 0.1 s), so it is made once and given a private key before each use. Every use
 * is synchronous, so uses never interleave.
 */
let shared: DiffieHellman | undefined;

/** base^exponent mod P (base a 128-byte-or-shorter big-endian number in 2..P-2) through OpenSSL. */
function power(base: Uint8Array, exponent: Uint8Array): bigint {
  shared ??= createDiffieHellman(RTMPE_DH_PRIME, RTMPE_DH_GENERATOR);
  shared.setPrivateKey(Buffer.from(exponent));
  return bigintFromBytes(shared.computeSecret(Buffer.from(base)));
}

const GENERATOR_BYTES = Buffer.of(RTMPE_DH_GENERATOR);
const Q_MINUS_ONE = minimalBytes(RTMPE_DH_Q - 1n);

/** y^Q mod P, as y^(Q-1) (fast, in OpenSSL) times y. */
function powQ(y: bigint): bigint {
  return (power(leftPadded(y, RTMPE_DH_SIZE), Q_MINUS_ONE) * y) % RTMPE_DH_P;
}

/** Bytes of a private key we draw: 1016 bits, as FFmpeg (one byte less than P). */
const PRIVATE_KEY_SIZE = RTMPE_DH_SIZE - 1;

/**
 * Why a public key is refused, or undefined when it is fine: it must lie in 2..P-2 and satisfy
 * y^Q mod P = 1. The second check is FFmpeg's (librtmp only logs it): every honest key passes it
 * (see `RTMPE_DH_P`), a key read at a wrong offset fails it half the time, and a hostile key that
 * fails it could confine the shared secret to a tiny subgroup. rtmpkit treats both as fatal.
 */
export function publicKeyProblem(publicKey: Uint8Array): string | undefined {
  if (publicKey.length !== RTMPE_DH_SIZE) return `a public key has ${RTMPE_DH_SIZE} bytes, got ${publicKey.length}`;
  const y = bigintFromBytes(publicKey);
  if (y < 2n) return 'the public key is below 2';
  if (y > RTMPE_DH_P - 2n) return 'the public key is above P - 2';
  if (powQ(y) !== 1n) return 'the public key is not in the prime-order subgroup (y^Q mod P is not 1): a wrong key offset, or a hostile peer';
  return undefined;
}

/** Throws `HandshakeError` unless `publicKey` is an acceptable RTMPE public key (see `publicKeyProblem`). */
export function checkPublicKey(publicKey: Uint8Array, whose = 'peer'): void {
  const problem = publicKeyProblem(publicKey);
  if (problem) throw new HandshakeError(`RTMPE: the ${whose}'s Diffie-Hellman public key is refused: ${problem}`);
}

/**
 * A key pair on the RTMPE group. Without `privateKey`, 1016 random bits (as FFmpeg draws). A
 * random key pair whose public key fails the checks is drawn again (as FFmpeg does; with g = 2
 * that does not happen).
 */
export function generateKeyPair(privateKey?: Uint8Array): DhKeyPair {
  for (let attempt = 0; attempt < 8; attempt++) {
    const secret = Buffer.from(privateKey ?? randomBytes(PRIVATE_KEY_SIZE));
    const publicKey = leftPadded(power(GENERATOR_BYTES, secret), RTMPE_DH_SIZE);
    if (!publicKeyProblem(publicKey)) return { privateKey: secret, publicKey };
    if (privateKey) break;
  }
  throw new RangeError('could not make an acceptable RTMPE Diffie-Hellman key pair');
}

/**
 * The shared secret (peer public)^(own private) mod P as a number, after checking the peer's key
 * (`HandshakeError`). `layOutSecret` turns it into the 128 bytes the HMACs are keyed with.
 */
export function sharedSecretValue(own: DhKeyPair, peerPublicKey: Uint8Array): bigint {
  checkPublicKey(peerPublicKey);
  return power(peerPublicKey, own.privateKey);
}

/** The shared secret as the 128 bytes both sides key their HMACs with, laid out as `padding` says. */
export function computeSharedSecret(own: DhKeyPair, peerPublicKey: Uint8Array, padding: SecretPadding): Buffer {
  return layOutSecret(sharedSecretValue(own, peerPublicKey), padding);
}

/** Lays a secret into 128 bytes: `'leading-zeros'` right-aligns it, `'trailing-zeros'` left-aligns its minimal bytes. */
export function layOutSecret(secret: bigint, padding: SecretPadding): Buffer {
  if (padding === 'leading-zeros') return leftPadded(secret, RTMPE_DH_SIZE);
  const out = Buffer.alloc(RTMPE_DH_SIZE);
  const bytes = minimalBytes(secret);
  if (bytes.length > RTMPE_DH_SIZE) throw new RangeError('the secret is larger than P');
  bytes.copy(out, 0);
  return out;
}
