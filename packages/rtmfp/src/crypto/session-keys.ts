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
  /** Key of the HMAC on the packets this end sends, when negotiated: HMAC-SHA256(secret, the whole 32 bytes the encrypt key is cut from). */
  readonly sendHmacKey: Buffer;
  /** Key of the HMAC on the packets this end receives: the same from the decrypt key's 32 bytes. */
  readonly recvHmacKey: Buffer;
}

function hmac(key: Uint8Array, message: Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/**
 * The Flash profile's key derivation, from the DH shared secret (minimal form) and the two
 * keying components exactly as sent (`near` is this end's, `far` the peer's):
 * - encrypt key = first 16 bytes of HMAC(secret, HMAC(far, near));
 * - decrypt key = first 16 bytes of HMAC(secret, HMAC(near, far));
 * - near nonce = HMAC(secret, near), far nonce = HMAC(secret, far);
 * - packet HMAC keys (RFC 7425 §4.6.3) = HMAC(secret, the 32 bytes each AES key is cut from).
 * For the initiator (near = SKIC, far = SKRC) the encrypt key is the initiator→responder key.
 */
export function deriveSessionKeys(secret: Uint8Array, near: Uint8Array, far: Uint8Array): SessionKeys {
  const encrypt = hmac(secret, hmac(far, near));
  const decrypt = hmac(secret, hmac(near, far));
  return {
    encryptKey: encrypt.subarray(0, 16),
    decryptKey: decrypt.subarray(0, 16),
    nearNonce: hmac(secret, near),
    farNonce: hmac(secret, far),
    sendHmacKey: hmac(secret, encrypt),
    recvHmacKey: hmac(secret, decrypt),
  };
}
