import type { IncomingSession, Session } from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import type { PacketProtection } from '../crypto/negotiation.js';
import type { SessionStats } from '../session/session-stats.js';

/** What RTMFP knows about a session beyond core's `Session`. */
export interface RtmfpSessionInfo {
  /** Our peer id (SHA-256 of our certificate), hex. */
  readonly nearPeerId: string;
  /** The far end's peer id, hex (a Flash client's is SHA-256 of `81 02 1d 02 <key>`). */
  readonly farPeerId: string;
  /** Server side: the addresses the client reported with `setPeerInfo` (for peer-to-peer introductions). */
  readonly reportedAddresses: readonly PeerAddress[];
  /** Per-packet HMAC and session sequence numbers, as the handshake settled them (all off with Flash-era peers). */
  readonly protection: PacketProtection;
  /** Where the peer's packets come from now. */
  readonly remote: PeerAddress;
  /** The keepalive period in force, ms (a client takes its server's Set Keepalive). */
  readonly keepaliveMs: number;
  /** Round trip, congestion window, retransmissions, abandoned messages… */
  readonly stats: SessionStats;
}

const infos = new WeakMap<object, RtmfpSessionInfo>();

/** Records the info of a session (transport internal). */
export function setSessionInfo(session: Session | IncomingSession, info: RtmfpSessionInfo): void {
  infos.set(session, info);
}

/** The RTMFP side of a session made by `rtmfp()`: peer ids, reported addresses, live stats. Undefined for other sessions. */
export function rtmfpSessionInfo(session: Session | IncomingSession): RtmfpSessionInfo | undefined {
  return infos.get(session);
}
