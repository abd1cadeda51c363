import { HandshakeError } from '../errors/index.js';
import { HANDSHAKE_DIGEST_SIZE, HANDSHAKE_PACKET_SIZE, HANDSHAKE_PUBLIC_KEY_SIZE } from './constants.js';
import { computeDigest } from './digest.js';
import { type HandshakeLayout, digestPosition, keyPosition } from './layout.js';
import type { ResponseMatch } from './options.js';
import { computeSignature, signatureOf, signaturesEqual } from './signature.js';

/** Turns the plain signature into the one on the wire (identity unless an extension says otherwise). */
export type SignatureTransform = (signature: Buffer) => Uint8Array;

const RANDOM_OFFSET = 8;
const SIGNED_LENGTH = HANDSHAKE_PACKET_SIZE - HANDSHAKE_DIGEST_SIZE;

/** Draws `size` bytes from an injected source, refusing a source that returns the wrong amount. */
export function drawRandom(random: (size: number) => Uint8Array, size: number): Uint8Array {
  const bytes = random(size);
  if (bytes.length !== size) {
    throw new HandshakeError(`the random source returned ${bytes.length} bytes, ${size} were asked for`);
  }
  return bytes;
}

/** How to build our own C1/S1. */
export interface ChallengeSpec {
  time: number;
  /** Bytes 4..7: zero for a plain packet, a version in digest mode. */
  versionBytes: Uint8Array;
  random: Uint8Array;
  /** The digest's HMAC key (FP or FMS text part); undefined = plain packet without digest. */
  digestKey: Uint8Array | undefined;
  layout: HandshakeLayout;
  /** An RTMPE public key to write at the key position before the digest. */
  publicKey: Uint8Array | undefined;
}

/** Our C1/S1 and, in digest mode, the digest written into it. */
export interface Challenge {
  packet: Buffer;
  digest: Buffer | undefined;
}

/** Builds a C1/S1: time, version bytes, random bytes, then the optional key and digest. */
export function buildChallenge(spec: ChallengeSpec): Challenge {
  if (spec.versionBytes.length !== 4) {
    throw new HandshakeError(`version bytes must be 4 bytes, got ${spec.versionBytes.length}`);
  }
  const packet = Buffer.alloc(HANDSHAKE_PACKET_SIZE);
  packet.writeUInt32BE(spec.time >>> 0, 0);
  packet.set(spec.versionBytes, 4);
  packet.set(spec.random, RANDOM_OFFSET);
  if (spec.publicKey !== undefined) {
    if (spec.publicKey.length !== HANDSHAKE_PUBLIC_KEY_SIZE) {
      throw new HandshakeError(`a handshake public key has ${HANDSHAKE_PUBLIC_KEY_SIZE} bytes, got ${spec.publicKey.length}`);
    }
    packet.set(spec.publicKey, keyPosition(packet, spec.layout));
  }
  if (spec.digestKey === undefined) return { packet, digest: undefined };
  const position = digestPosition(packet, spec.layout);
  const digest = computeDigest(packet, position, spec.digestKey);
  packet.set(digest, position);
  return { packet, digest };
}

/** The plain answer to a peer's C1/S1: its time, the time we read it, its random bytes. */
export function buildEcho(peerPacket: Uint8Array, readTime: number): Buffer {
  const packet = Buffer.alloc(HANDSHAKE_PACKET_SIZE);
  packet.set(peerPacket.subarray(0, 4), 0);
  packet.writeUInt32BE(readTime >>> 0, 4);
  packet.set(peerPacket.subarray(RANDOM_OFFSET), RANDOM_OFFSET);
  return packet;
}

/** The digest-mode answer: 1504 fresh random bytes, then the (transformed) signature. */
export function buildSignedResponse(random: Uint8Array, key: Uint8Array, transform: SignatureTransform): Buffer {
  const packet = Buffer.alloc(HANDSHAKE_PACKET_SIZE);
  packet.set(random, 0);
  const signature = transform(computeSignature(packet, key));
  if (signature.length !== HANDSHAKE_DIGEST_SIZE) {
    throw new HandshakeError(`a transformed signature must stay ${HANDSHAKE_DIGEST_SIZE} bytes, got ${signature.length}`);
  }
  packet.set(signature, SIGNED_LENGTH);
  return packet;
}

/** True when `response` echoes `ownPacket`: same time field and same bytes 8..1535 (time2 is free). */
export function isEcho(response: Uint8Array, ownPacket: Uint8Array): boolean {
  return (
    Buffer.compare(response.subarray(0, 4), ownPacket.subarray(0, 4)) === 0 &&
    Buffer.compare(response.subarray(RANDOM_OFFSET), ownPacket.subarray(RANDOM_OFFSET)) === 0
  );
}

/**
 * Compares the peer's C2/S2 with what we expect: a signature under `key` (digest mode only,
 * `key` undefined in plain mode), else an echo of our own C1/S1.
 */
export function matchResponse(
  response: Buffer,
  ownPacket: Buffer,
  key: Uint8Array | undefined,
  transform: SignatureTransform,
): ResponseMatch {
  if (key !== undefined) {
    const expected = transform(computeSignature(response, key));
    if (signaturesEqual(expected, signatureOf(response))) return 'signature';
  }
  return isEcho(response, ownPacket) ? 'echo' : 'mismatch';
}
