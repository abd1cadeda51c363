import { ByteReader, RtmpError } from '@rtmpkit/core';
import { RtmfpHandshakeError } from '../errors.js';
import { decodeOptionList, encodeOption, encodeVluOption } from '../codec/option.js';
import { encodeVlu, readVlu } from '../codec/vlu.js';

/** Session keying component option types (RFC 7425 §4.6): what SKIC and SKRC carry. */
export const KeyingOption = {
  /** VLU group id + ephemeral public key. */
  EphemeralPublicKey: 0x0d,
  ExtraRandomness: 0x0e,
  /** HMAC negotiation: flags byte + VLU HMAC length (RFC 7425 §4.6.3). */
  HmacNegotiation: 0x1a,
  /** VLU group id: "use the static key my certificate has for this group". */
  GroupSelect: 0x1d,
  /** Session sequence number negotiation: flags byte (RFC 7425 §4.6.4). */
  SseqNegotiation: 0x1e,
} as const;

/** Flags of the HMAC and session sequence number negotiation options. */
export const NegotiationFlag = {
  /** "I will always send it." */
  SendAlways: 0x04,
  /** "I will send it if you ask." */
  SendOnRequest: 0x02,
  /** "I ask you to send it." */
  Request: 0x01,
} as const;

/** A decoded SKIC or SKRC. */
export interface KeyingComponent {
  /** The component exactly as sent: key derivation hashes these bytes, never a re-encoding. */
  readonly raw: Buffer;
  readonly groupSelect: number | undefined;
  /** Ephemeral public keys by group (normally one). */
  readonly ephemeralKeys: ReadonlyMap<number, Buffer>;
  readonly extraRandomness: Buffer | undefined;
  /** Absent when the option is absent; a missing flags byte reads as 0. */
  readonly hmac: { readonly flags: number; readonly length: number | undefined } | undefined;
  readonly sseq: { readonly flags: number } | undefined;
}

/** `02 1d <group>`: use my certificate's static key for `group`. */
export function groupSelectOption(group: number): Buffer {
  return encodeVluOption(KeyingOption.GroupSelect, group);
}

/** `VLU(len) 0d <group> <key>`: an ephemeral public key. */
export function ephemeralKeyOption(group: number, publicKey: Uint8Array): Buffer {
  return encodeOption(KeyingOption.EphemeralPublicKey, Buffer.concat([encodeVlu(group), publicKey]));
}

/** `41 0e <64 bytes>` for 64 bytes of extra randomness. */
export function extraRandomnessOption(bytes: Uint8Array): Buffer {
  return encodeOption(KeyingOption.ExtraRandomness, bytes);
}

/** HMAC negotiation: Flash Player sends `03 1a 02 0a` (send on request, 10 bytes); a decline is `03 1a 00 00`. */
export function hmacNegotiationOption(flags: number, length: number): Buffer {
  return encodeOption(KeyingOption.HmacNegotiation, Buffer.concat([Buffer.from([flags]), encodeVlu(length)]));
}

/** Session sequence number negotiation: Flash Player sends `02 1e 02`; a decline is `02 1e 00`. */
export function sseqNegotiationOption(flags: number): Buffer {
  return encodeOption(KeyingOption.SseqNegotiation, Buffer.from([flags]));
}

function keyingError(message: string, cause?: unknown): RtmfpHandshakeError {
  return new RtmfpHandshakeError('keying', message, cause === undefined ? undefined : { cause });
}

/**
 * Decodes a keying component; the first option of each kind counts. Throws
 * `RtmfpHandshakeError` (`keying`) for bytes that are not an option list or a malformed option.
 */
export function decodeKeyingComponent(bytes: Uint8Array): KeyingComponent {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let groupSelect: number | undefined;
  const ephemeralKeys = new Map<number, Buffer>();
  let extraRandomness: Buffer | undefined;
  let hmac: KeyingComponent['hmac'];
  let sseq: KeyingComponent['sseq'];
  try {
    for (const { type, value } of decodeOptionList(raw).options) {
      const reader = new ByteReader(value);
      switch (type) {
        case KeyingOption.GroupSelect: groupSelect ??= readVlu(reader); break;
        case KeyingOption.EphemeralPublicKey: {
          const group = readVlu(reader);
          if (!ephemeralKeys.has(group)) ephemeralKeys.set(group, reader.bytes(reader.remaining));
          break;
        }
        case KeyingOption.ExtraRandomness: extraRandomness ??= value; break;
        case KeyingOption.HmacNegotiation:
          hmac ??= { flags: value.length > 0 ? reader.u8() : 0, length: reader.remaining > 0 ? readVlu(reader) : undefined };
          break;
        case KeyingOption.SseqNegotiation: sseq ??= { flags: value.length > 0 ? value[0]! : 0 }; break;
        default: break;
      }
    }
  } catch (error) {
    if (RtmpError.isInstance(error)) throw keyingError(`malformed session keying component: ${error.message}`, error);
    throw error;
  }
  return { raw, groupSelect, ephemeralKeys, extraRandomness, hmac, sseq };
}

/**
 * Refuses a peer that insists on per-packet HMAC or session sequence numbers (it will always
 * send them, or asks us to), for a caller that wants Flash-era packets only. The handshake
 * itself negotiates them (`negotiateProtection`). Throws `RtmfpHandshakeError` (`negotiation`).
 */
export function assertNoHmacOrSseq(component: KeyingComponent): void {
  const insists = NegotiationFlag.SendAlways | NegotiationFlag.Request;
  if ((component.hmac?.flags ?? 0) & insists) {
    throw new RtmfpHandshakeError('negotiation', 'the peer insists on per-packet HMAC (RFC 7425 §4.6.3)');
  }
  if ((component.sseq?.flags ?? 0) & insists) {
    throw new RtmfpHandshakeError('negotiation', 'the peer insists on session sequence numbers (RFC 7425 §4.6.4)');
  }
}
