import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSharedSecret, generateKeyPair } from '../src/crypto/dh.js';
import { Rc4 } from '../src/crypto/rc4.js';
import { RTMPE_RC4_DISCARD, deriveRc4Keys, rtmpeCipher } from '../src/crypto/rc4-keys.js';
import { hex } from './helpers/hex.js';

describe('RC4 key derivation', () => {
  const client = generateKeyPair();
  const server = generateKeyPair();
  const secret = computeSharedSecret(client, server.publicKey, 'trailing-zeros');
  const clientKeys = deriveRc4Keys(secret, client.publicKey, server.publicKey);
  const serverKeys = deriveRc4Keys(computeSharedSecret(server, client.publicKey, 'trailing-zeros'), server.publicKey, client.publicKey);

  it('keyOut = HMAC-SHA256(secret, peer public)[0..16), keyIn = HMAC-SHA256(secret, own public)[0..16)', () => {
    const hmac = (message: Buffer) => createHmac('sha256', secret).update(message).digest().subarray(0, 16);
    expect(Buffer.from(clientKeys.keyOut)).toEqual(hmac(server.publicKey));
    expect(Buffer.from(clientKeys.keyIn)).toEqual(hmac(client.publicKey));
    expect(clientKeys.keyIn).toHaveLength(16);
  });

  it('client→server is keyed by the server public key, server→client by the client one', () => {
    expect(clientKeys.keyOut).toEqual(serverKeys.keyIn);
    expect(clientKeys.keyIn).toEqual(serverKeys.keyOut);
    expect(clientKeys.keyIn).not.toEqual(clientKeys.keyOut);
  });

  it('what one end encrypts the other decrypts', () => {
    const message = Buffer.from('connect, encrypted');
    const wire = rtmpeCipher(clientKeys.keyOut).process(Buffer.from(message));
    expect(Buffer.from(wire)).not.toEqual(message);
    expect(Buffer.from(rtmpeCipher(serverKeys.keyIn).process(wire))).toEqual(message);
  });

  it('rtmpeCipher starts 1536 keystream bytes in (RFC 6229, 128-bit key, offset 1536)', () => {
    expect(RTMPE_RC4_DISCARD).toBe(1536);
    const rc4 = rtmpeCipher(hex('0102030405060708090a0b0c0d0e0f10'));
    expect(Buffer.from(rc4.process(new Uint8Array(16)))).toEqual(hex('ff a0 b5 14 64 7e c0 4f 63 06 b8 92 ae 66 11 81'));
    const undiscarded = new Rc4(hex('0102030405060708090a0b0c0d0e0f10'));
    expect(Buffer.from(undiscarded.process(new Uint8Array(16)))).not.toEqual(hex('ff a0 b5 14 64 7e c0 4f 63 06 b8 92 ae 66 11 81'));
  });
});
