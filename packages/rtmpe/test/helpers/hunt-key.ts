import { type DiffieHellman, createDiffieHellman } from 'node:crypto';
import { RTMPE_DH_PRIME } from '../../src/crypto/dh-group.js';
import { type DhKeyPair, checkPublicKey, generateKeyPair } from '../../src/crypto/dh.js';
import { seededPrivateKey } from './bigint.js';

let group: DiffieHellman | undefined;

/**
 * A key pair whose shared secret with `peerPublicKey` is shorter than 128 bytes (its top byte is
 * zero), the 1-in-256 case where the secret layouts differ. Deterministic for a given peer key;
 * one modular exponentiation per try, so it stays fast on a loaded machine.
 */
export function keyPairForShortSecret(peerPublicKey: Uint8Array, label = 'short-secret'): DhKeyPair {
  checkPublicKey(peerPublicKey);
  group ??= createDiffieHellman(RTMPE_DH_PRIME, 2);
  for (let counter = 0; counter < 20_000; counter++) {
    const privateKey = seededPrivateKey(label, counter);
    group.setPrivateKey(privateKey);
    const secret = group.computeSecret(Buffer.from(peerPublicKey)); // 128 bytes, zeros first
    if (secret[0] === 0) return generateKeyPair(privateKey);
  }
  throw new Error('no short secret found in 20000 tries');
}
