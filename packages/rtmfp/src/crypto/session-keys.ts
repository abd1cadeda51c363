import { createHmac } from 'node:crypto';

/** What a completed handshake derives (RFC 7425 §4.6.5), seen from one end. */
export interface SessionKeys {
  /** AES-128 key for the packets this end sends. */
  readonly encryptKey: Buffer;
  /** AES-128 key for the packets this end receives. */
  readonly decryptKey: Buffer;
  /** HMAC-SHA256(secret, near component): this end's 32-byte session nonce. */
  readonly nearNonce: Buffer;
  /** HMAC-SHA256(secret, far component): the peer's session nonce. */
  readonly farNonce: Buffer;
}

function hmac(key: Uint8Array, message: Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/**
 * The Flash profile's key derivation, from the DH shared secret (minimal form) and the two
 * keying components exactly as sent (`near` is this end's, `far` the peer's):
 * - encrypt key = first 16 bytes of HMAC(secret, HMAC(far, near));
 * - decrypt key = first 16 bytes of HMAC(secret, HMAC(near, far));
 * - near nonce = HMAC(secret, near), far nonce = HMAC(secret, far).
 * For the initiator (near = SKIC, far = SKRC) the encrypt key is the initiator→responder key.
 */
export function deriveSessionKeys(secret: Uint8Array, near: Uint8Array, far: Uint8Array): SessionKeys {
  return {
    encryptKey: hmac(secret, hmac(far, near)).subarray(0, 16),
    decryptKey: hmac(secret, hmac(near, far)).subarray(0, 16),
    nearNonce: hmac(secret, near),
    farNonce: hmac(secret, far),
  };
}
