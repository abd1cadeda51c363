import { RtmfpHandshakeError } from '../errors.js';
import { NegotiationFlag, hmacNegotiationOption, sseqNegotiationOption, type KeyingComponent } from './keying-component.js';

/**
 * How an endpoint negotiates per-packet HMAC (RFC 7425 §4.6.3) and session sequence numbers
 * (§4.6.4), both at once:
 * - `on-request` (the default, Flash Player's choice): offer both "on request", send one only
 *   when the peer asks for it, check one only when the peer says it always sends it;
 * - `required` (rtmfp-cpp's default, without `-H -S`): always send both, ask the peer for both,
 *   and refuse a peer that will send neither.
 */
export type ProtectionPolicy = 'on-request' | 'required';

/** What a session adds to each packet, as its handshake settled it. All zero/false: the Flash-era packet. */
export interface PacketProtection {
  /** Bytes of HMAC-SHA256 appended to each packet we send (0: none; the checksum is sent instead). */
  readonly sendHmacLength: number;
  /** Bytes of HMAC the peer appends to each packet (0: none; its checksum is checked instead). */
  readonly recvHmacLength: number;
  /** Each packet we send starts with a session sequence number. */
  readonly sendSequenceNumbers: boolean;
  /** Each packet the peer sends starts with one: repeats and stale ones are dropped. */
  readonly recvSequenceNumbers: boolean;
}

/** Neither HMAC nor sequence numbers, either way. */
export const NO_PACKET_PROTECTION: PacketProtection = { sendHmacLength: 0, recvHmacLength: 0, sendSequenceNumbers: false, recvSequenceNumbers: false };

/** The HMAC lengths RFC 7425 §4.6.3 allows. */
export const MIN_HMAC_LENGTH = 4;
export const MAX_HMAC_LENGTH = 32;

/** Flash Player offers a 10-byte HMAC (`03 1a 02 0a`); otherwise we send 16 bytes, half the hash (RFC 2104 §5). */
const FLASH_HMAC_LENGTH = 10;
const HMAC_LENGTH = 16;

/** True when nothing is added to packets in either direction. */
export function isUnprotected(protection: PacketProtection): boolean {
  return protection.sendHmacLength === 0 && protection.recvHmacLength === 0 && !protection.sendSequenceNumbers && !protection.recvSequenceNumbers;
}

function flags(sendAlways: boolean, required: boolean): number {
  return (sendAlways ? NegotiationFlag.SendAlways : 0) | NegotiationFlag.SendOnRequest | (required ? NegotiationFlag.Request : 0);
}

/**
 * The negotiation options of an initiator's SKIC: Flash Player's `03 1a 02 0a | 02 1e 02` for
 * `on-request`; `03 1a 07 10 | 02 1e 07` (always send, on request too, require) for `required`.
 */
export function initiatorNegotiationOptions(policy: ProtectionPolicy): Buffer {
  const required = policy === 'required';
  return Buffer.concat([
    hmacNegotiationOption(flags(required, required), required ? HMAC_LENGTH : FLASH_HMAC_LENGTH),
    sseqNegotiationOption(flags(required, required)),
  ]);
}

/**
 * The negotiation options of a responder's SKRC, once `protection` is settled: the Cumulus /
 * MonaServer decline `03 1a 00 00 | 02 1e 00` that Flash Player knows when nothing is used,
 * otherwise what we will do (always send what we send, require what we check).
 */
export function responderNegotiationOptions(protection: PacketProtection): Buffer {
  if (isUnprotected(protection)) return Buffer.concat([hmacNegotiationOption(0, 0), sseqNegotiationOption(0)]);
  const hmacUsed = protection.sendHmacLength > 0 || protection.recvHmacLength > 0;
  const sseqUsed = protection.sendSequenceNumbers || protection.recvSequenceNumbers;
  return Buffer.concat([
    hmacUsed ? hmacNegotiationOption(flags(protection.sendHmacLength > 0, protection.recvHmacLength > 0), protection.sendHmacLength || HMAC_LENGTH) : hmacNegotiationOption(0, 0),
    sseqUsed ? sseqNegotiationOption(flags(protection.sendSequenceNumbers, protection.recvSequenceNumbers)) : sseqNegotiationOption(0),
  ]);
}

/**
 * Settles both mechanisms from the peer's keying component and our policy (RFC 7425 §4.6.3–4.6.4,
 * as rtmfp-cpp reads them): we send one when our policy always sends it or the peer requests
 * it (we always offer it on request); we check one when our policy requires it or the peer
 * always sends it. `role` picks our HMAC length: the initiator's was announced in its SKIC.
 * Throws `RtmfpHandshakeError` (`negotiation`) when we require what the peer will not send, or
 * when the peer announces an HMAC length outside 4..32 for HMACs we must check.
 */
export function negotiateProtection(policy: ProtectionPolicy, far: KeyingComponent, role: 'initiator' | 'responder'): PacketProtection {
  const required = policy === 'required';
  const hmacFlags = far.hmac?.flags ?? 0;
  const sseqFlags = far.sseq?.flags ?? 0;
  const willSend = NegotiationFlag.SendAlways | NegotiationFlag.SendOnRequest;
  if (required && !(hmacFlags & willSend)) throw new RtmfpHandshakeError('negotiation', 'we require a per-packet HMAC (RFC 7425 §4.6.3) and the peer will not send one');
  if (required && !(sseqFlags & willSend)) throw new RtmfpHandshakeError('negotiation', 'we require session sequence numbers (RFC 7425 §4.6.4) and the peer will not send them');
  const sendHmac = required || (hmacFlags & NegotiationFlag.Request) !== 0;
  const recvHmac = required || (hmacFlags & NegotiationFlag.SendAlways) !== 0;
  const farLength = far.hmac?.length ?? 0;
  if (recvHmac && (farLength < MIN_HMAC_LENGTH || farLength > MAX_HMAC_LENGTH)) {
    throw new RtmfpHandshakeError('negotiation', `the peer announces a ${farLength}-byte packet HMAC; RFC 7425 §4.6.3 allows ${MIN_HMAC_LENGTH} to ${MAX_HMAC_LENGTH}`);
  }
  const ourLength = role === 'initiator' && !required ? FLASH_HMAC_LENGTH : HMAC_LENGTH;
  return {
    sendHmacLength: sendHmac ? ourLength : 0,
    recvHmacLength: recvHmac ? farLength : 0,
    sendSequenceNumbers: required || (sseqFlags & NegotiationFlag.Request) !== 0,
    recvSequenceNumbers: required || (sseqFlags & NegotiationFlag.SendAlways) !== 0,
  };
}
