import { createHash } from 'node:crypto';

/** b^e mod m by square-and-multiply in BigInt: slow but independent of node:crypto. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** A bigint from big-endian bytes. */
export function toBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** `value` as `size` big-endian bytes. */
export function toBytes(value: bigint, size: number): Buffer {
  return Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
}

/** Deterministic private keys: SHA-256 of a label and a counter, 64 bytes. */
export function seededPrivateKey(label: string, counter: number): Buffer {
  const part = (n: number) => createHash('sha256').update(`${label}/${counter}/${n}`).digest();
  return Buffer.concat([part(0), part(1)]);
}
