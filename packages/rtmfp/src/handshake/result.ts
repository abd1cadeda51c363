import type { FlashCertificate } from '../crypto/certificate.js';
import type { PacketProtection } from '../crypto/negotiation.js';
import type { SessionKeys } from '../crypto/session-keys.js';

/** What a finished handshake hands the session layer, seen from one end. */
export interface HandshakeResult {
  readonly role: 'initiator' | 'responder';
  /** The id the peer addresses its packets to: ours. */
  readonly nearSessionId: number;
  /** The id to address our packets to. */
  readonly farSessionId: number;
  /** The Diffie-Hellman group used (2 or 14). */
  readonly group: number;
  /** Packet keys (`encryptKey` for what we send) and session nonces. */
  readonly keys: SessionKeys;
  /** The peer's certificate; its `fingerprint` is the peer id. */
  readonly peerCertificate: FlashCertificate;
  /** Our keying component and the peer's, as sent. */
  readonly nearComponent: Buffer;
  readonly farComponent: Buffer;
  /** Per-packet HMAC and session sequence numbers, as the keying components settled them (RFC 7425 §4.6.3–4.6.4). */
  readonly protection: PacketProtection;
}
