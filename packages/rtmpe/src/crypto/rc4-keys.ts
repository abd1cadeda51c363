import { createHmac } from 'node:crypto';
import { Rc4 } from './rc4.js';

/** Bytes of each RC4 key RTMPE derives. */
export const RTMPE_RC4_KEY_SIZE = 16;

/** Keystream bytes both RC4 states throw away once the handshake is complete. */
export const RTMPE_RC4_DISCARD = 1536;

/** The two RC4 keys of one end of an RTMPE connection. */
export interface Rc4Keys {
  /** Decrypts what this end receives. */
  readonly keyIn: Uint8Array;
  /** Encrypts what this end sends. */
  readonly keyOut: Uint8Array;
}

function hmacKey(secret: Uint8Array, publicKey: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(publicKey).digest().subarray(0, RTMPE_RC4_KEY_SIZE);
}

/**
 * The RC4 keys of one end, from the 128-byte shared secret and both public keys as they sit in
 * C1/S1: `keyOut` = HMAC-SHA256(secret, peer's public key)[0..16), `keyIn` = HMAC-SHA256(secret,
 * own public key)[0..16). So client→server bytes are keyed by the server's public key and
 * server→client bytes by the client's, and one end's `keyOut` is the other's `keyIn`.
 */
export function deriveRc4Keys(secret: Uint8Array, ownPublicKey: Uint8Array, peerPublicKey: Uint8Array): Rc4Keys {
  return { keyIn: hmacKey(secret, ownPublicKey), keyOut: hmacKey(secret, peerPublicKey) };
}

/** An RC4 keystream for `key`, already advanced past the `discard` bytes RTMPE throws away. */
export function rtmpeCipher(key: Uint8Array, discard = RTMPE_RC4_DISCARD): Rc4 {
  const rc4 = new Rc4(key);
  rc4.discard(discard);
  return rc4;
}
