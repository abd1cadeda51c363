/** The pure crypto under RTMPE: RC4, XTEA, Blowfish and the Diffie-Hellman group. */
export { Rc4 } from './rc4.js';
export type { ByteOrder } from './block-words.js';
export { XTEA_DELTA, XTEA_ROUNDS, xteaEncryptWords, xteaKeyWords, xteaEncryptBlock } from './xtea.js';
export { Blowfish } from './blowfish.js';
export { RTMPE_DH_PRIME, RTMPE_DH_GENERATOR, RTMPE_DH_SIZE, RTMPE_DH_P, RTMPE_DH_Q } from './dh-group.js';
export {
  type SecretPadding,
  type DhKeyPair,
  publicKeyProblem,
  checkPublicKey,
  generateKeyPair,
  sharedSecretValue,
  computeSharedSecret,
  layOutSecret,
} from './dh.js';
export { RTMPE_RC4_KEY_SIZE, RTMPE_RC4_DISCARD, type Rc4Keys, deriveRc4Keys, rtmpeCipher } from './rc4-keys.js';
