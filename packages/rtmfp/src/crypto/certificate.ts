import { createHash } from 'node:crypto';
import { ByteReader, ByteWriter, RtmpError } from '@rtmpkit/core';
import { RtmfpHandshakeError } from '../errors.js';
import { decodeOptionList, writeOption } from '../codec/option.js';
import { encodeVlu, readVlu } from '../codec/vlu.js';

/** Certificate option types (RFC 7425 §4.3). */
export const CertificateOption = {
  Hostname: 0x00,
  /** Empty; servers set it: an EPD may then carry ancillary data (a URI). */
  AcceptsAncillaryData: 0x0a,
  ExtraRandomness: 0x0e,
  /** VLU group id; one per group this end can do ephemeral DH in. */
  SupportedEphemeralGroup: 0x15,
  /** VLU group id + public key; one per group this end has a static key in. */
  StaticPublicKey: 0x1d,
} as const;

/** What a certificate says, to build one. Give ephemeral groups or static keys, not both. */
export interface CertificateFields {
  readonly hostname?: string;
  readonly acceptsAncillaryData?: boolean;
  readonly extraRandomness?: Uint8Array;
  readonly ephemeralGroups?: readonly number[];
  readonly staticKeys?: readonly { readonly group: number; readonly publicKey: Uint8Array }[];
}

/** A decoded Flash-profile certificate. */
export interface FlashCertificate {
  /** The certificate exactly as received. */
  readonly raw: Buffer;
  /** Bytes covered by the fingerprint: up to and including the first marker, or all of it. */
  readonly canonical: Buffer;
  /** SHA-256 of the canonical part: the endpoint's peer id (RFC 7425 §4.3.2). */
  readonly fingerprint: Buffer;
  readonly hostname: Buffer | undefined;
  readonly acceptsAncillaryData: boolean;
  /** Groups offered for ephemeral DH, in the certificate's order. */
  readonly ephemeralGroups: readonly number[];
  /** Static public keys by group, in the certificate's order. */
  readonly staticKeys: ReadonlyMap<number, Buffer>;
  /** True when the certificate carries static keys (and so no ephemeral groups). */
  readonly isStatic: boolean;
}

/**
 * Builds a certificate, options in the order hostname, accepts-ancillary-data, extra
 * randomness, ephemeral groups, static keys (a Cumulus-style server certificate is
 * `01 0a | 41 0e <64> | 02 15 02 ...`; Flash Player's is `81 02 1d 02 <128-byte key>`).
 */
export function encodeCertificate(fields: CertificateFields): Buffer {
  const groups = fields.ephemeralGroups ?? [];
  const keys = fields.staticKeys ?? [];
  if ((groups.length > 0) === (keys.length > 0)) {
    throw new RangeError('a certificate carries ephemeral groups or static keys, exactly one of the two');
  }
  const writer = new ByteWriter(64);
  if (fields.hostname !== undefined) writeOption(writer, CertificateOption.Hostname, Buffer.from(fields.hostname, 'utf8'));
  if (fields.acceptsAncillaryData) writeOption(writer, CertificateOption.AcceptsAncillaryData);
  if (fields.extraRandomness) writeOption(writer, CertificateOption.ExtraRandomness, fields.extraRandomness);
  for (const group of groups) writeOption(writer, CertificateOption.SupportedEphemeralGroup, encodeVlu(group));
  for (const { group, publicKey } of keys) {
    writeOption(writer, CertificateOption.StaticPublicKey, Buffer.concat([encodeVlu(group), publicKey]));
  }
  return writer.finish();
}

function certificateError(message: string, cause?: unknown): RtmfpHandshakeError {
  return new RtmfpHandshakeError('certificate', message, cause === undefined ? undefined : { cause });
}

/** SHA-256 of a certificate's canonical part: its fingerprint, which Flash calls the peer id. */
export function certificateFingerprint(canonical: Uint8Array): Buffer {
  return createHash('sha256').update(canonical).digest();
}

/**
 * Decodes a certificate. Only options before the first marker count, as in rtmfp-cpp. Throws
 * `RtmfpHandshakeError` (`certificate`) for bytes that are not an option list, or a certificate
 * with both or neither of ephemeral groups and static keys.
 */
export function decodeCertificate(bytes: Uint8Array): FlashCertificate {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let list;
  try {
    list = decodeOptionList(raw);
  } catch (error) {
    if (RtmpError.isInstance(error)) throw certificateError(`certificate is not an option list: ${error.message}`, error);
    throw error;
  }
  const canonical = raw.subarray(0, list.markerEnd ?? raw.length);
  let hostname: Buffer | undefined;
  let acceptsAncillaryData = false;
  const ephemeralGroups: number[] = [];
  const staticKeys = new Map<number, Buffer>();
  for (const option of list.options) {
    if (list.markerEnd !== undefined && option.value.byteOffset - raw.byteOffset >= list.markerEnd) break;
    switch (option.type) {
      case CertificateOption.Hostname: hostname ??= option.value; break;
      case CertificateOption.AcceptsAncillaryData: acceptsAncillaryData = true; break;
      case CertificateOption.SupportedEphemeralGroup: ephemeralGroups.push(readGroup(option.value)); break;
      case CertificateOption.StaticPublicKey: {
        const reader = new ByteReader(option.value);
        const group = readGroup(option.value, reader);
        if (!staticKeys.has(group)) staticKeys.set(group, reader.bytes(reader.remaining));
        break;
      }
      default: break;
    }
  }
  const isStatic = staticKeys.size > 0;
  if (isStatic === ephemeralGroups.length > 0) {
    throw certificateError('a certificate must offer ephemeral groups or static keys, exactly one of the two');
  }
  return { raw, canonical, fingerprint: certificateFingerprint(canonical), hostname, acceptsAncillaryData, ephemeralGroups, staticKeys, isStatic };
}

function readGroup(value: Buffer, reader = new ByteReader(value)): number {
  try {
    return readVlu(reader);
  } catch (error) {
    if (RtmpError.isInstance(error)) throw certificateError('certificate group option without a group id', error);
    throw error;
  }
}

/** The groups a certificate can do DH in, whichever kind it is. */
export function certificateGroups(certificate: FlashCertificate): number[] {
  return certificate.isStatic ? [...certificate.staticKeys.keys()] : [...certificate.ephemeralGroups];
}
