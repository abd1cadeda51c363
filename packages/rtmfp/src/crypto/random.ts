import { randomBytes } from 'node:crypto';

/**
 * Where the handshake gets its randomness (tags, extra randomness, DH private keys, cookie
 * secrets): `size` fresh bytes per call. Tests inject a seeded source; the default is
 * `crypto.randomBytes`.
 */
export type RandomSource = (size: number) => Buffer;

/** The default `RandomSource`: the operating system's CSPRNG. */
export const secureRandom: RandomSource = (size) => randomBytes(size);
