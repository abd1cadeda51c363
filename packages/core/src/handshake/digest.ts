import { createHmac, timingSafeEqual } from 'node:crypto';
import { HandshakeError } from '../errors/index.js';
import { HANDSHAKE_DIGEST_SIZE, HANDSHAKE_PACKET_SIZE } from './constants.js';
import { HANDSHAKE_LAYOUTS, type HandshakeLayout, digestPosition } from './layout.js';

/** A digest found in a peer's C1/S1: the layout it checked out in, where it sits, and its 32 bytes. */
export interface FoundDigest {
  layout: HandshakeLayout;
  position: number;
  /** A copy of the 32 digest bytes. */
  digest: Buffer;
}

/**
 * HMAC-SHA256 with `key` over a 1536-byte C1/S1 packet with the 32 bytes at `position` cut out
 * (the 1504 bytes before and after them, joined). This is the digest that belongs at `position`.
 */
export function computeDigest(packet: Uint8Array, position: number, key: Uint8Array): Buffer {
  if (packet.length !== HANDSHAKE_PACKET_SIZE) {
    throw new HandshakeError(`a C1/S1 packet has ${HANDSHAKE_PACKET_SIZE} bytes, got ${packet.length}`);
  }
  if (!Number.isInteger(position) || position < 0 || position > HANDSHAKE_PACKET_SIZE - HANDSHAKE_DIGEST_SIZE) {
    throw new HandshakeError(`digest position ${position} is outside the packet`);
  }
  return createHmac('sha256', key)
    .update(packet.subarray(0, position))
    .update(packet.subarray(position + HANDSHAKE_DIGEST_SIZE))
    .digest();
}

/**
 * Computes the digest for `layout` and writes it into `packet` (in place). Anything that the
 * digest must cover, such as an RTMPE public key, has to be written before. Returns the position.
 */
export function writeDigest(packet: Uint8Array, layout: HandshakeLayout, key: Uint8Array): number {
  const position = digestPosition(packet, layout);
  packet.set(computeDigest(packet, position, key), position);
  return position;
}

/** True when `packet` holds a valid digest for `layout` under `key`. */
export function hasDigestAt(packet: Uint8Array, layout: HandshakeLayout, key: Uint8Array): boolean {
  const position = digestPosition(packet, layout);
  const expected = computeDigest(packet, position, key);
  return timingSafeEqual(expected, packet.subarray(position, position + HANDSHAKE_DIGEST_SIZE));
}

/**
 * Looks for a valid digest in a peer's C1 (key `FP_KEY_TEXT`) or S1 (key `FMS_KEY_TEXT`), trying
 * both layouts (`order` first to last). Returns `undefined` when neither checks out.
 */
export function findDigest(
  packet: Uint8Array,
  key: Uint8Array,
  order: readonly HandshakeLayout[] = HANDSHAKE_LAYOUTS,
): FoundDigest | undefined {
  for (const layout of order) {
    if (hasDigestAt(packet, layout, key)) {
      const position = digestPosition(packet, layout);
      const digest = Buffer.from(packet.subarray(position, position + HANDSHAKE_DIGEST_SIZE));
      return { layout, position, digest };
    }
  }
  return undefined;
}
