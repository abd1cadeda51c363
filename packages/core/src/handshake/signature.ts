import { createHmac, timingSafeEqual } from 'node:crypto';
import { HandshakeError } from '../errors/index.js';
import { HANDSHAKE_DIGEST_SIZE, HANDSHAKE_PACKET_SIZE } from './constants.js';

/** Bytes of C2/S2 covered by the signature; the signature fills the rest (1504..1535). */
const SIGNED_LENGTH = HANDSHAKE_PACKET_SIZE - HANDSHAKE_DIGEST_SIZE;

/**
 * The 32-byte intermediate key of a C2/S2 signature: HMAC-SHA256(key = `fullKey`, msg = the
 * digest found in the peer's C1/S1). For S2 the full key is `FMS_KEY` and the digest is C1's;
 * for C2 it is `FP_KEY` and S1's. RTMPE types 8/9 also derive their cipher keys from it.
 */
export function signatureKey(peerDigest: Uint8Array, fullKey: Uint8Array): Buffer {
  return createHmac('sha256', fullKey).update(peerDigest).digest();
}

/** The signature of a digest-mode C2/S2: HMAC-SHA256(key = `key`, msg = bytes 0..1503). */
export function computeSignature(packet: Uint8Array, key: Uint8Array): Buffer {
  if (packet.length !== HANDSHAKE_PACKET_SIZE) {
    throw new HandshakeError(`a C2/S2 packet has ${HANDSHAKE_PACKET_SIZE} bytes, got ${packet.length}`);
  }
  return createHmac('sha256', key).update(packet.subarray(0, SIGNED_LENGTH)).digest();
}

/** The 32 signature bytes at the end of a C2/S2 (a view). */
export function signatureOf(packet: Uint8Array): Uint8Array {
  return packet.subarray(SIGNED_LENGTH, HANDSHAKE_PACKET_SIZE);
}

/** Constant-time comparison of two 32-byte signatures; false when the lengths differ. */
export function signaturesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
