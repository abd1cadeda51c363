import { HandshakeError } from '../errors/index.js';
import { HANDSHAKE_PACKET_SIZE } from './constants.js';

/**
 * Where the digest block and the key block sit in C1/S1 (bytes 8..1535 split in two 764-byte blocks).
 * - `digest-first`: digest block 8..771, key block 772..1535 (plain FP9 clients, nginx; librtmp offalg 0, SRS schema1).
 * - `key-first`: key block 8..771, digest block 772..1535 (RTMPE clients; librtmp offalg 1, SRS schema0).
 */
export type HandshakeLayout = 'digest-first' | 'key-first';

/** Both layouts, in the order verifiers commonly try them. */
export const HANDSHAKE_LAYOUTS: readonly HandshakeLayout[] = ['digest-first', 'key-first'];

const BLOCK_SIZE = 764;
const FIRST_BLOCK = 8;
const SECOND_BLOCK = FIRST_BLOCK + BLOCK_SIZE;
/** The digest may start anywhere that leaves room for it and its 4 offset bytes: 764 - 4 - 32. */
const DIGEST_SPAN = 728;
/** The key may start anywhere that leaves room for it and its 4 trailing offset bytes: 764 - 4 - 128. */
const KEY_SPAN = 632;

function assertPacket(packet: Uint8Array): void {
  if (packet.length < HANDSHAKE_PACKET_SIZE) {
    // Still an RtmpError, so that callers only ever have one kind of error to catch.
    throw new HandshakeError(`a C1/S1 packet has ${HANDSHAKE_PACKET_SIZE} bytes, got ${packet.length}`);
  }
}

/** The four offset bytes are added up (not read as an integer); each is taken unsigned. */
function sumOfFour(packet: Uint8Array, at: number): number {
  return packet[at]! + packet[at + 1]! + packet[at + 2]! + packet[at + 3]!;
}

/** Index in C1/S1 of the first byte of the digest block for `layout`. */
export function digestBlockStart(layout: HandshakeLayout): number {
  return layout === 'digest-first' ? FIRST_BLOCK : SECOND_BLOCK;
}

/** Index in C1/S1 of the first byte of the key block for `layout`. */
export function keyBlockStart(layout: HandshakeLayout): number {
  return layout === 'digest-first' ? SECOND_BLOCK : FIRST_BLOCK;
}

/**
 * Where the 32-byte digest starts in a C1/S1 packet: the sum of the 4 bytes opening the digest
 * block, mod 728, plus the block start, plus 4 (12..739 digest-first, 776..1503 key-first).
 */
export function digestPosition(packet: Uint8Array, layout: HandshakeLayout): number {
  assertPacket(packet);
  const block = digestBlockStart(layout);
  return (sumOfFour(packet, block) % DIGEST_SPAN) + block + 4;
}

/**
 * Where the 128-byte public key starts in a C1/S1 packet: the sum of the 4 bytes closing the key
 * block, mod 632, plus the block start (772..1403 digest-first, 8..639 key-first).
 */
export function keyPosition(packet: Uint8Array, layout: HandshakeLayout): number {
  assertPacket(packet);
  const block = keyBlockStart(layout);
  return (sumOfFour(packet, block + BLOCK_SIZE - 4) % KEY_SPAN) + block;
}
