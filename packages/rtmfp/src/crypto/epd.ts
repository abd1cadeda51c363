import { ByteWriter, RtmpError } from '@rtmpkit/core';
import { RtmfpHandshakeError } from '../errors.js';
import { decodeOptionList, writeOption } from '../codec/option.js';
import type { FlashCertificate } from './certificate.js';

/** Endpoint discriminator option types (RFC 7425 §4.4). */
export const EpdOption = {
  /** The responder's certificate must carry this hostname. */
  RequiredHostname: 0x00,
  /** Free-form data for a server; Flash Player puts the whole `rtmfp://` URI here. */
  AncillaryData: 0x0a,
  /** The 32-byte fingerprint (peer id) of the wanted endpoint. */
  Fingerprint: 0x0f,
} as const;

/** What an initiator says about the far end it wants. At least one field is set. */
export interface EndpointDiscriminator {
  readonly fingerprint?: Buffer;
  readonly ancillaryData?: Buffer;
  readonly requiredHostname?: Buffer;
}

/** Builds an EPD: fingerprint, ancillary data, required hostname, in that order (as rtmfp-cpp). */
export function encodeEpd(epd: EndpointDiscriminator): Buffer {
  if (!epd.fingerprint && !epd.ancillaryData && !epd.requiredHostname) {
    throw new RangeError('an EPD needs a fingerprint, ancillary data or a required hostname');
  }
  const writer = new ByteWriter(64);
  if (epd.fingerprint) writeOption(writer, EpdOption.Fingerprint, epd.fingerprint);
  if (epd.ancillaryData) writeOption(writer, EpdOption.AncillaryData, epd.ancillaryData);
  if (epd.requiredHostname) writeOption(writer, EpdOption.RequiredHostname, epd.requiredHostname);
  return writer.finish();
}

/** The EPD Flash Player sends to a server: the URI as ancillary data (`41 0a rtmfp://...` for 64 bytes). */
export function serverEpd(url: string | URL): Buffer {
  return encodeEpd({ ancillaryData: Buffer.from(String(url), 'utf8') });
}

/** The EPD that selects an endpoint by its peer id (`21 0f <32 bytes>`), also the canonical EPD of a static endpoint. */
export function peerEpd(peerId: Uint8Array): Buffer {
  if (peerId.length !== 32) throw new RangeError(`a peer id has 32 bytes, not ${peerId.length}`);
  return encodeEpd({ fingerprint: Buffer.from(peerId) });
}

/**
 * Decodes an EPD; the first option of each kind counts. Throws `RtmfpHandshakeError` (`epd`)
 * for bytes that are not an option list or carry none of the three options.
 */
export function decodeEpd(bytes: Uint8Array): EndpointDiscriminator {
  let options;
  try {
    options = decodeOptionList(bytes).options;
  } catch (error) {
    if (RtmpError.isInstance(error)) throw new RtmfpHandshakeError('epd', `EPD is not an option list: ${error.message}`, { cause: error });
    throw error;
  }
  const find = (type: number) => options.find((option) => option.type === type)?.value;
  const epd = {
    ...optional('fingerprint', find(EpdOption.Fingerprint)),
    ...optional('ancillaryData', find(EpdOption.AncillaryData)),
    ...optional('requiredHostname', find(EpdOption.RequiredHostname)),
  };
  if (!epd.fingerprint && !epd.ancillaryData && !epd.requiredHostname) {
    throw new RtmfpHandshakeError('epd', 'EPD has no fingerprint, ancillary data or required hostname');
  }
  return epd;
}

function optional<K extends string>(key: K, value: Buffer | undefined): { [P in K]?: Buffer } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: Buffer };
}

/**
 * Whether `certificate` is the endpoint `epd` asks for, by the rules rtmfp-cpp applies: a
 * fingerprint decides alone; otherwise a required hostname must equal the certificate's, and
 * ancillary data needs a certificate that accepts it.
 */
export function epdSelectsCertificate(epd: EndpointDiscriminator, certificate: FlashCertificate): boolean {
  if (epd.fingerprint) return epd.fingerprint.equals(certificate.fingerprint);
  if (epd.requiredHostname && !(certificate.hostname?.equals(epd.requiredHostname) ?? false)) return false;
  if (epd.ancillaryData && !certificate.acceptsAncillaryData) return false;
  return true;
}
