/** A MODP Diffie-Hellman group as the Flash profile names it (by its IKE group number). */
export interface DhGroup {
  /** The group number: 2 (1024-bit, required) or 14 (2048-bit). */
  readonly id: number;
  /** The prime modulus, big-endian; the generator is 2. */
  readonly prime: Buffer;
  /** Private exponent length in bytes, from the strength estimates of RFC 3526 §8 (as rtmfp-cpp uses them). */
  readonly exponentBytes: number;
}

// The primes are written out rather than taken from `crypto.getDiffieHellman()`, which checks
// the group 2 prime on every call (about 70 ms); a test compares them with Node's copies.

/** RFC 7296 App. B.2 (RFC 2409 §6.2): 2^1024 − 2^960 − 1 + 2^64 · (⌊2^894 π⌋ + 129093). */
const MODP_1024 =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74' +
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437' +
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF';

/** RFC 3526 §3: 2^2048 − 2^1984 − 1 + 2^64 · (⌊2^1918 π⌋ + 124476). */
const MODP_2048 =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74' +
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437' +
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05' +
  '98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB' +
  '9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718' +
  '3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF';

/** Group 2, 1024 bits. Every Flash-profile endpoint must support it. */
export const DH_GROUP_2: DhGroup = { id: 2, prime: Buffer.from(MODP_1024, 'hex'), exponentBytes: 224 / 8 };
/** Group 14, 2048 bits. */
export const DH_GROUP_14: DhGroup = { id: 14, prime: Buffer.from(MODP_2048, 'hex'), exponentBytes: 320 / 8 };

const GROUPS = new Map<number, DhGroup>([
  [2, DH_GROUP_2],
  [14, DH_GROUP_14],
]);

/** The groups this implementation can compute, strongest first. */
export const SUPPORTED_DH_GROUPS: readonly number[] = [14, 2];

/** The group with that number, or undefined when we do not implement it (5, 16...). */
export function dhGroup(id: number): DhGroup | undefined {
  return GROUPS.get(id);
}
