import { RtmfpPacketError } from '../errors.js';

/**
 * The mode bits of the flags byte (RFC 7016 §2.2.4): `initiator` and `responder` mark packets
 * inside a session by who sends them; `startup` marks handshake packets. Mode 0 is invalid.
 */
export type PacketMode = 'initiator' | 'responder' | 'startup';

/** Flags byte masks (RFC 7016 §2.2.4). */
export const PacketFlag = {
  /** The sender is sending time-critical data. */
  TimeCritical: 0x80,
  /** The sender has recently received time-critical data on another session. */
  TimeCriticalReverse: 0x40,
  /** A 16-bit timestamp follows the flags. */
  Timestamp: 0x08,
  /** A 16-bit timestamp echo follows (after the timestamp when both are present). */
  TimestampEcho: 0x04,
  /** The two mode bits. */
  ModeMask: 0x03,
} as const;

const MODES: readonly (PacketMode | undefined)[] = [undefined, 'initiator', 'responder', 'startup'];

/** Everything in a plain packet before its chunks. */
export interface PacketHeader {
  readonly mode: PacketMode;
  readonly timeCritical?: boolean;
  readonly timeCriticalReverse?: boolean;
  /** 16-bit timestamp in 4 ms ticks, when sent. */
  readonly timestamp?: number;
  /** 16-bit echo of the peer's timestamp, when sent. */
  readonly timestampEcho?: number;
}

/** The flags byte for `header`. Reserved bits 0x30 are always 0. */
export function encodeFlags(header: PacketHeader): number {
  let flags = MODES.indexOf(header.mode);
  if (flags <= 0) throw new RangeError(`unknown packet mode ${String(header.mode)}`);
  if (header.timeCritical) flags |= PacketFlag.TimeCritical;
  if (header.timeCriticalReverse) flags |= PacketFlag.TimeCriticalReverse;
  if (header.timestamp !== undefined) flags |= PacketFlag.Timestamp;
  if (header.timestampEcho !== undefined) flags |= PacketFlag.TimestampEcho;
  return flags;
}

/** The mode of a flags byte; throws `RtmfpPacketError` (`mode`) for mode 0. */
export function modeOfFlags(flags: number): PacketMode {
  const mode = MODES[flags & PacketFlag.ModeMask];
  if (!mode) throw new RtmfpPacketError('mode', 'packet mode 0 is invalid');
  return mode;
}
