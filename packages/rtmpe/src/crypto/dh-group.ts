/**
 * The RTMPE Diffie-Hellman group: the 1024-bit MODP group of RFC 2409 ("Second Oakley Group",
 * node:crypto `getDiffieHellman('modp2')`), generator 2. P is a safe prime, P = 2Q + 1 with Q
 * prime, and P ≡ 7 (mod 8), so 2 is a quadratic residue: every honest public key 2^x lies in the
 * subgroup of order Q, i.e. satisfies y^Q mod P = 1.
 */
export const RTMPE_DH_PRIME: Buffer = Buffer.from(
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF',
  'hex',
);

/** The generator, 2. */
export const RTMPE_DH_GENERATOR = 2;

/** Bytes of P, and so of a public key and of the shared secret on the wire: 128. */
export const RTMPE_DH_SIZE = 128;

/** P as a bigint. */
export const RTMPE_DH_P: bigint = BigInt(`0x${RTMPE_DH_PRIME.toString('hex')}`);

/** Q = (P - 1) / 2, the order of the subgroup honest keys live in. */
export const RTMPE_DH_Q: bigint = (RTMPE_DH_P - 1n) / 2n;

/** A non-negative bigint from big-endian bytes (empty = 0). */
export function bigintFromBytes(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** The minimal big-endian bytes of a non-negative bigint (0 gives no bytes). */
export function minimalBytes(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('negative numbers have no unsigned encoding');
  if (value === 0n) return Buffer.alloc(0);
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}

/** `value` as exactly `size` big-endian bytes, zeros on the left. */
export function leftPadded(value: bigint, size: number): Buffer {
  const bytes = minimalBytes(value);
  if (bytes.length > size) throw new RangeError(`a ${bytes.length}-byte number does not fit in ${size} bytes`);
  const out = Buffer.alloc(size);
  bytes.copy(out, size - bytes.length);
  return out;
}
