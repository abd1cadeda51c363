import { RtmfpPacketError } from '../errors.js';

/** 4 bytes of scrambled session id and at least one 16-byte AES block. */
export const MIN_DATAGRAM_SIZE = 20;

/**
 * The session id a datagram is addressed to (RFC 7016 §2.2.1): the first 32-bit word XOR the
 * next two (the first two words of the ciphertext). Reads 12 bytes and allocates nothing, so a
 * receiver can route or drop a datagram before decrypting it. Throws `RtmfpPacketError`
 * (`short`, `misaligned`) for a datagram that cannot be a packet at all; `trailerLength` bytes
 * at the end (a negotiated packet HMAC) are not part of the encrypted blocks.
 */
export function peekSessionId(datagram: Uint8Array, trailerLength = 0): number {
  if (datagram.length - trailerLength < MIN_DATAGRAM_SIZE) {
    throw new RtmfpPacketError('short', `a datagram of ${datagram.length} bytes is shorter than ${MIN_DATAGRAM_SIZE + trailerLength}`);
  }
  if ((datagram.length - 4 - trailerLength) % 16 !== 0) {
    throw new RtmfpPacketError('misaligned', `the encrypted part (${datagram.length - 4 - trailerLength} bytes) is not whole 16-byte blocks`);
  }
  const view = new DataView(datagram.buffer, datagram.byteOffset, 12);
  return (view.getUint32(0) ^ view.getUint32(4) ^ view.getUint32(8)) >>> 0;
}

/**
 * The session id without the alignment check, for routing: a session that negotiated a packet
 * HMAC (RFC 7425 §4.6.3) sends datagrams of any length; its own checks follow. At least 12 bytes.
 */
export function routeSessionId(datagram: Uint8Array): number {
  const view = new DataView(datagram.buffer, datagram.byteOffset, 12);
  return (view.getUint32(0) ^ view.getUint32(4) ^ view.getUint32(8)) >>> 0;
}

/** The first word to send: `sessionId XOR` the first two words of `ciphertext`. */
export function scrambledSessionId(sessionId: number, ciphertext: Uint8Array): number {
  const view = new DataView(ciphertext.buffer, ciphertext.byteOffset, 8);
  return (sessionId ^ view.getUint32(0) ^ view.getUint32(4)) >>> 0;
}
