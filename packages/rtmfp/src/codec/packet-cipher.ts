import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';

/** The Flash profile's handshake key, the 16 ASCII bytes `Adobe Systems 02` (RFC 7425 §4.1). */
export const DEFAULT_SESSION_KEY: Buffer = Buffer.from('Adobe Systems 02', 'latin1');

const ZERO_IV = Buffer.alloc(16);

/**
 * AES-128-CBC as the Flash profile uses it (RFC 7425 §4.2): every packet on its own with an
 * all-zero IV and no automatic padding, so lengths must already be whole 16-byte blocks.
 */
export class PacketCipher {
  private readonly key: KeyObject;

  /** `key` is 16 bytes: the default key, or one of the two keys a handshake derives. */
  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError(`an RTMFP packet key has 16 bytes, not ${key.length}`);
    this.key = createSecretKey(Buffer.from(key));
  }

  /** Encrypts whole blocks. */
  encrypt(plaintext: Uint8Array): Buffer {
    const cipher = createCipheriv('aes-128-cbc', this.key, ZERO_IV).setAutoPadding(false);
    return Buffer.concat([cipher.update(plaintext), cipher.final()]);
  }

  /** Decrypts whole blocks. */
  decrypt(ciphertext: Uint8Array): Buffer {
    const decipher = createDecipheriv('aes-128-cbc', this.key, ZERO_IV).setAutoPadding(false);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  }
}

/** A cipher for the default key, shared because it never changes. */
export const DEFAULT_CIPHER: PacketCipher = new PacketCipher(DEFAULT_SESSION_KEY);
