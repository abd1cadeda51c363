import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ByteReader, ByteWriter, LimitExceededError } from '@rtmpkit/core';
import { RtmfpPacketError } from '../errors.js';
import { internetChecksum } from './checksum.js';
import { readChunks, writeChunk, type RawChunk } from './chunk-frame.js';
import { PacketFlag, encodeFlags, modeOfFlags, type PacketHeader } from './packet-header.js';
import type { PacketCipher } from './packet-cipher.js';
import { peekSessionId, scrambledSessionId } from './session-id.js';
import { readVlu, writeVlu } from './vlu.js';

/** A decoded packet: where it was sent, its header and its framed chunks. */
export interface RtmfpPacket extends PacketHeader {
  /** The session id the datagram was addressed to (0 for the startup pseudo-session). */
  readonly sessionId: number;
  readonly chunks: RawChunk[];
}

/** Limits on what `openPacket` accepts. */
export interface PacketLimits {
  /**
   * The largest datagram worth decrypting, default 8192. rtmfp-cpp sends at most 4256 bytes of
   * plaintext for startup packets and 1200 in a session; a bigger datagram is refused unread.
   */
  readonly maxDatagramSize?: number;
}

/** Default of `PacketLimits.maxDatagramSize`. */
export const DEFAULT_MAX_DATAGRAM_SIZE = 8192;

/** Bytes in front of the chunks at most: session id, checksum, flags, timestamp and echo. */
export const MAX_PACKET_OVERHEAD = 4 + 2 + 1 + 2 + 2;

/** The datagram size for a plaintext of `plainLength` bytes (checksum included): 4 + padded. */
export function datagramSize(plainLength: number): number {
  return 4 + Math.ceil(plainLength / 16) * 16;
}

/**
 * What a negotiated session adds to its packets (RFC 7425 §4.6.3–4.6.4). With `hmac`, the
 * checksum is left out and `length` bytes of HMAC-SHA256(key, ciphertext) follow the
 * ciphertext; with sequence numbers, the plaintext starts with a VLU session sequence number.
 */
export interface PacketProtectionKeys {
  readonly hmac?: { readonly key: KeyObject | Uint8Array; readonly length: number };
}

/** Sealing: a packet's sequence number, when this direction sends them. */
export interface SealProtection extends PacketProtectionKeys {
  readonly sequenceNumber?: number;
}

/** Opening: whether this direction carries sequence numbers. */
export interface OpenProtection extends PacketProtectionKeys {
  readonly sequenceNumbers?: boolean;
}

/** A packet as opened: its header, chunks, and the session sequence number it carried. */
export interface OpenedPacket extends RtmfpPacket {
  readonly sequenceNumber?: number;
}

/**
 * The plaintext of a packet (RFC 7425 §4.2): `checksum(16) | flags | [timestamp] | [echo] |
 * chunks | 0xff padding`, padded so the whole plaintext is whole 16-byte blocks, the checksum
 * computed last over everything after it. A negotiated session puts `VLU sequenceNumber` in
 * front, and leaves the checksum out (`checksum: false`) when an HMAC protects the packet.
 */
export function encodePlainPacket(header: PacketHeader, chunks: readonly RawChunk[], framing: { sequenceNumber?: number; checksum?: boolean } = {}): Buffer {
  const writer = new ByteWriter(64);
  if (framing.sequenceNumber !== undefined) writeVlu(writer, framing.sequenceNumber);
  const checksumAt = writer.size;
  const checksum = framing.checksum ?? true;
  if (checksum) writer.u16(0);
  writer.u8(encodeFlags(header));
  if (header.timestamp !== undefined) writer.u16(header.timestamp & 0xffff);
  if (header.timestampEcho !== undefined) writer.u16(header.timestampEcho & 0xffff);
  for (const chunk of chunks) writeChunk(writer, chunk);
  while (writer.size % 16 !== 0) writer.u8(0xff);
  const plain = writer.finish();
  if (checksum) plain.writeUInt16BE(internetChecksum(plain, checksumAt + 2), checksumAt);
  return plain;
}

/**
 * Reads a decrypted plaintext: the sequence number when `framing.sequenceNumbers`, the checksum
 * unless `framing.checksum` is false (checked first), then the flags and timestamps, then frames
 * the chunks. Throws `RtmfpPacketError` (`short`, `checksum`, `mode`, `chunk`).
 */
export function decodePlainPacket(plain: Buffer, framing: { sequenceNumbers?: boolean; checksum?: boolean } = {}): Omit<OpenedPacket, 'sessionId'> {
  let offset = 0;
  let sequenceNumber: number | undefined;
  if (framing.sequenceNumbers) {
    try {
      const reader = new ByteReader(plain);
      sequenceNumber = readVlu(reader);
      offset = reader.offset;
    } catch {
      throw new RtmfpPacketError('short', 'the packet ends inside its session sequence number');
    }
  }
  if (framing.checksum ?? true) {
    if (plain.length < offset + 3 || plain.readUInt16BE(offset) !== internetChecksum(plain, offset + 2)) {
      throw new RtmfpPacketError('checksum', 'the packet checksum does not match (wrong key, or not RTMFP)');
    }
    offset += 2;
  }
  if (plain.length < offset + 1) throw new RtmfpPacketError('short', 'the packet has no flags byte');
  const flags = plain[offset]!;
  const mode = modeOfFlags(flags);
  offset++;
  let timestamp: number | undefined;
  let timestampEcho: number | undefined;
  const needed = offset + (flags & PacketFlag.Timestamp ? 2 : 0) + (flags & PacketFlag.TimestampEcho ? 2 : 0);
  if (plain.length < needed) throw new RtmfpPacketError('short', `a plaintext of ${plain.length} bytes ends inside its header`);
  if (flags & PacketFlag.Timestamp) { timestamp = plain.readUInt16BE(offset); offset += 2; }
  if (flags & PacketFlag.TimestampEcho) { timestampEcho = plain.readUInt16BE(offset); offset += 2; }
  return {
    mode,
    timeCritical: (flags & PacketFlag.TimeCritical) !== 0,
    timeCriticalReverse: (flags & PacketFlag.TimeCriticalReverse) !== 0,
    timestamp,
    timestampEcho,
    chunks: readChunks(plain, offset),
    ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
  };
}

function packetHmac(key: KeyObject | Uint8Array, ciphertext: Uint8Array, length: number): Buffer {
  return createHmac('sha256', key).update(ciphertext).digest().subarray(0, length);
}

/**
 * Decrypts and decodes one datagram with `cipher`. The cheap checks come first: size,
 * alignment and the datagram limit before decrypting, a negotiated HMAC next, the checksum
 * before reading a chunk. Throws `RtmfpPacketError` (`hmac` for an HMAC that does not match)
 * or `LimitExceededError`; nothing is kept between calls (the caller drops repeated sequence numbers).
 */
export function openPacket(datagram: Uint8Array, cipher: PacketCipher, limits: PacketLimits = {}, protection: OpenProtection = {}): OpenedPacket {
  const hmacLength = protection.hmac?.length ?? 0;
  const sessionId = peekSessionId(datagram, hmacLength);
  const max = limits.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM_SIZE;
  if (datagram.length > max) {
    throw new LimitExceededError('maxDatagramSize', max, `a datagram of ${datagram.length} bytes`);
  }
  const ciphertext = datagram.subarray(4, datagram.length - hmacLength);
  if (protection.hmac && !timingSafeEqual(packetHmac(protection.hmac.key, ciphertext, hmacLength), datagram.subarray(datagram.length - hmacLength))) {
    throw new RtmfpPacketError('hmac', 'the packet HMAC does not match');
  }
  const plain = cipher.decrypt(ciphertext);
  return { sessionId, ...decodePlainPacket(plain, { sequenceNumbers: protection.sequenceNumbers, checksum: !protection.hmac }) };
}

/**
 * Encodes, pads, checksums (or, with a negotiated HMAC, appends the HMAC after) and encrypts a
 * packet, then scrambles the session id in front.
 */
export function sealPacket(packet: RtmfpPacket, cipher: PacketCipher, protection: SealProtection = {}): Buffer {
  if (!Number.isInteger(packet.sessionId) || packet.sessionId < 0 || packet.sessionId > 0xffffffff) {
    throw new RangeError(`session id out of range: ${packet.sessionId}`);
  }
  const plain = encodePlainPacket(packet, packet.chunks, { sequenceNumber: protection.sequenceNumber, checksum: !protection.hmac });
  const ciphertext = cipher.encrypt(plain);
  const hmacLength = protection.hmac?.length ?? 0;
  const datagram = Buffer.allocUnsafe(4 + ciphertext.length + hmacLength);
  datagram.writeUInt32BE(scrambledSessionId(packet.sessionId, ciphertext), 0);
  ciphertext.copy(datagram, 4);
  if (protection.hmac) packetHmac(protection.hmac.key, ciphertext, hmacLength).copy(datagram, 4 + ciphertext.length);
  return datagram;
}
