import type { RawChunk } from './chunk-frame.js';
import { DEFAULT_CIPHER } from './packet-cipher.js';
import { openPacket, sealPacket, type PacketLimits, type RtmfpPacket } from './packet.js';

/** Where a startup packet goes and its optional timestamps. */
export interface StartupPacketOptions {
  /** 0 (the startup pseudo-session) for IHello, RHello, Redirect, IIKeying; the initiator's id for RIKeying and cookie changes. */
  readonly sessionId?: number;
  readonly timestamp?: number;
  readonly timestampEcho?: number;
}

/**
 * A handshake packet: mode startup, encrypted with the default key. Flash Player's carry a
 * timestamp (flags `0b`).
 */
export function sealStartupPacket(chunks: readonly RawChunk[], options: StartupPacketOptions = {}): Buffer {
  return sealPacket(
    {
      sessionId: options.sessionId ?? 0,
      mode: 'startup',
      timestamp: options.timestamp,
      timestampEcho: options.timestampEcho,
      chunks: [...chunks],
    },
    DEFAULT_CIPHER,
  );
}

/** Opens a datagram with the default key (any mode; the caller checks it is `startup`). */
export function openStartupPacket(datagram: Uint8Array, limits?: PacketLimits): RtmfpPacket {
  return openPacket(datagram, DEFAULT_CIPHER, limits);
}
