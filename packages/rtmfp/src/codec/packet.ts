import { ByteWriter, LimitExceededError } from '@rtmpkit/core';
import { RtmfpPacketError } from '../errors.js';
import { internetChecksum } from './checksum.js';
import { readChunks, writeChunk, type RawChunk } from './chunk-frame.js';
import { PacketFlag, encodeFlags, modeOfFlags, type PacketHeader } from './packet-header.js';
import type { PacketCipher } from './packet-cipher.js';
import { peekSessionId, scrambledSessionId } from './session-id.js';

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
 * The plaintext of a packet (RFC 7425 §4.2 without HMAC or session sequence numbers):
 * `checksum(16) | flags | [timestamp] | [echo] | chunks | 0xff padding`, padded so the whole
 * plaintext is whole 16-byte blocks, the checksum computed last over everything after it.
 */
export function encodePlainPacket(header: PacketHeader, chunks: readonly RawChunk[]): Buffer {
  const writer = new ByteWriter(64);
  writer.u16(0).u8(encodeFlags(header));
  if (header.timestamp !== undefined) writer.u16(header.timestamp & 0xffff);
  if (header.timestampEcho !== undefined) writer.u16(header.timestampEcho & 0xffff);
  for (const chunk of chunks) writeChunk(writer, chunk);
  while (writer.size % 16 !== 0) writer.u8(0xff);
  const plain = writer.finish();
  plain.writeUInt16BE(internetChecksum(plain, 2), 0);
  return plain;
}

/**
 * Reads a decrypted plaintext: checks the checksum first, then the flags and timestamps, then
 * frames the chunks. Throws `RtmfpPacketError` (`checksum`, `mode`, `chunk`).
 */
export function decodePlainPacket(plain: Buffer): Omit<RtmfpPacket, 'sessionId'> {
  if (plain.length < 3 || plain.readUInt16BE(0) !== internetChecksum(plain, 2)) {
    throw new RtmfpPacketError('checksum', 'the packet checksum does not match (wrong key, or not RTMFP)');
  }
  const flags = plain[2]!;
  const mode = modeOfFlags(flags);
  let offset = 3;
  let timestamp: number | undefined;
  let timestampEcho: number | undefined;
  const needed = 3 + (flags & PacketFlag.Timestamp ? 2 : 0) + (flags & PacketFlag.TimestampEcho ? 2 : 0);
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
  };
}

/**
 * Decrypts and decodes one datagram with `cipher`. The cheap checks come first: size,
 * alignment and the datagram limit before decrypting, the checksum before reading a chunk.
 * Throws `RtmfpPacketError` or `LimitExceededError`; nothing is kept between calls.
 */
export function openPacket(datagram: Uint8Array, cipher: PacketCipher, limits: PacketLimits = {}): RtmfpPacket {
  const sessionId = peekSessionId(datagram);
  const max = limits.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM_SIZE;
  if (datagram.length > max) {
    throw new LimitExceededError('maxDatagramSize', max, `a datagram of ${datagram.length} bytes`);
  }
  const plain = cipher.decrypt(datagram.subarray(4));
  return { sessionId, ...decodePlainPacket(plain) };
}

/** Encodes, pads, checksums and encrypts a packet, then scrambles the session id in front. */
export function sealPacket(packet: RtmfpPacket, cipher: PacketCipher): Buffer {
  if (!Number.isInteger(packet.sessionId) || packet.sessionId < 0 || packet.sessionId > 0xffffffff) {
    throw new RangeError(`session id out of range: ${packet.sessionId}`);
  }
  const ciphertext = cipher.encrypt(encodePlainPacket(packet, packet.chunks));
  const datagram = Buffer.allocUnsafe(4 + ciphertext.length);
  datagram.writeUInt32BE(scrambledSessionId(packet.sessionId, ciphertext), 0);
  ciphertext.copy(datagram, 4);
  return datagram;
}
