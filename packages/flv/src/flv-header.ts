import { RtmpProtocolError, TruncatedInputError } from '@rtmpkit/core';
import { FLV_DEFAULT_DATA_OFFSET, FLV_HEADER_SIZE } from './constants.js';

const AUDIO_FLAG = 0x04;
const VIDEO_FLAG = 0x01;

/** The FLV file header (FLV spec v10.1 E.2). */
export interface FlvHeader {
  /** Always 1 for the files this package reads. */
  version: number;
  /** TypeFlagsAudio: the file says it holds audio tags. */
  hasAudio: boolean;
  /** TypeFlagsVideo: the file says it holds video tags. */
  hasVideo: boolean;
  /** Where the body (PreviousTagSize0) starts: 9, or more when a writer left room after the header. */
  dataOffset: number;
}

/**
 * Reads the 9-byte FLV header at the start of `bytes`. Fewer than 9 bytes throw
 * `TruncatedInputError`; a wrong signature, a version other than 1 or a DataOffset below 9
 * throw `RtmpProtocolError`. A DataOffset above 9 is accepted: the bytes between are skipped.
 */
export function parseFlvHeader(bytes: Uint8Array): FlvHeader {
  if (bytes.length < FLV_HEADER_SIZE) {
    throw new TruncatedInputError(`an FLV header is ${FLV_HEADER_SIZE} bytes, only ${bytes.length} given`);
  }
  if (bytes[0] !== 0x46 || bytes[1] !== 0x4c || bytes[2] !== 0x56) {
    const seen = Buffer.from(bytes.subarray(0, 3)).toString('hex');
    throw new RtmpProtocolError(`not an FLV file: the signature is 0x${seen}, expected "FLV" (0x464c56)`);
  }
  const version = bytes[3]!;
  if (version !== 1) throw new RtmpProtocolError(`unsupported FLV version ${version}; only version 1 exists`);
  const flags = bytes[4]!;
  const dataOffset = ((bytes[5]! << 24) | (bytes[6]! << 16) | (bytes[7]! << 8) | bytes[8]!) >>> 0;
  if (dataOffset < FLV_HEADER_SIZE) {
    throw new RtmpProtocolError(`FLV DataOffset is ${dataOffset}, but the header alone takes ${FLV_HEADER_SIZE} bytes`);
  }
  return { version, hasAudio: (flags & AUDIO_FLAG) !== 0, hasVideo: (flags & VIDEO_FLAG) !== 0, dataOffset };
}

/** The flags byte of an FLV header: 0x04 for audio, 0x01 for video. */
export function flvHeaderFlags(flags: { hasAudio: boolean; hasVideo: boolean }): number {
  return (flags.hasAudio ? AUDIO_FLAG : 0) | (flags.hasVideo ? VIDEO_FLAG : 0);
}

/** Byte offset of the flags byte inside the FLV header (to patch it in place). */
export const FLV_HEADER_FLAGS_OFFSET = 4;

/** Builds the 9-byte FLV header: `"FLV"`, version 1, the flags, DataOffset 9. */
export function encodeFlvHeader(flags: { hasAudio: boolean; hasVideo: boolean }): Buffer {
  const bytes = Buffer.from([0x46, 0x4c, 0x56, 0x01, flvHeaderFlags(flags), 0, 0, 0, 0]);
  bytes.writeUInt32BE(FLV_DEFAULT_DATA_OFFSET, 5);
  return bytes;
}
