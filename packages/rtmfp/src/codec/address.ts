import { ByteReader, ByteWriter } from '@rtmpkit/core';
import { bytesToIp, ipToBytes } from './ip.js';

/**
 * Where an address came from (the low two bits of the flags byte, RFC 7016 §2.3.5):
 * unspecified, reported by the peer itself, observed by a server as a packet's source, or a relay.
 */
export type AddressOrigin = 'unspecified' | 'reported' | 'observed' | 'relay';

const ORIGINS: readonly AddressOrigin[] = ['unspecified', 'reported', 'observed', 'relay'];
const IPV6_FLAG = 0x80;

/** A UDP endpoint as Redirect and FIHello chunks carry it. */
export interface PeerAddress {
  /** Dotted IPv4 or IPv6 text. */
  readonly host: string;
  readonly port: number;
  /** Defaults to `unspecified` when encoding. */
  readonly origin?: AddressOrigin;
}

/** Writes `flags(8) | IPv4 (4) or IPv6 (16) | port (16)`; flag 0x80 marks IPv6. */
export function writeAddress(writer: ByteWriter, address: PeerAddress): void {
  const ip = ipToBytes(address.host);
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 0xffff) {
    throw new RangeError(`port out of range: ${address.port}`);
  }
  writer.u8((ip.length === 16 ? IPV6_FLAG : 0) | ORIGINS.indexOf(address.origin ?? 'unspecified'));
  writer.bytes(ip);
  writer.u16(address.port);
}

/** One address as bytes (also the form a cookie binds to). */
export function encodeAddress(address: PeerAddress): Buffer {
  const writer = new ByteWriter(19);
  writeAddress(writer, address);
  return writer.finish();
}

/** Reads one address. Reserved flag bits (0x7c) are ignored, as rtmfp-cpp does. */
export function readAddress(reader: ByteReader): PeerAddress {
  const flags = reader.u8();
  const host = bytesToIp(reader.bytes(flags & IPV6_FLAG ? 16 : 4));
  const port = reader.u16();
  return { host, port, origin: ORIGINS[flags & 0x03]! };
}
