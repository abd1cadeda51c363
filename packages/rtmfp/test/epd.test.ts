import { describe, expect, it } from 'vitest';
import { RtmfpHandshakeError, decodeCertificate, decodeEpd, encodeCertificate, encodeEpd, epdSelectsCertificate, peerEpd, serverEpd } from '../src/index.js';
import { hex } from './helpers/hex.js';

const server = decodeCertificate(encodeCertificate({ hostname: 'media.example', acceptsAncillaryData: true, ephemeralGroups: [2] }));
const client = decodeCertificate(encodeCertificate({ staticKeys: [{ group: 2, publicKey: Buffer.alloc(128, 1) }] }));

describe('endpoint discriminators (RFC 7425 §4.4)', () => {
  it('a server EPD is the URI as ancillary data (capture: rtmfp://192.168.137.183/)', () => {
    expect(serverEpd('rtmfp://192.168.137.183/')).toEqual(hex`
      19          # option length 25
      0a          # ancillary data
      72 74 6d 66 70 3a 2f 2f 31 39 32 2e 31 36 38 2e 31 33 37 2e 31 38 33 2f   # rtmfp://192.168.137.183/
    `);
  });

  it('a peer EPD is the fingerprint: 21 0f <32 bytes>', () => {
    const id = Buffer.alloc(32, 0xab);
    expect(peerEpd(id)).toEqual(hex`21 0f ${id.toString('hex')}`);
    expect(() => peerEpd(Buffer.alloc(31))).toThrow(RangeError);
  });

  it('decodes all three options, first of each kind', () => {
    const epd = encodeEpd({ fingerprint: hex`01`, ancillaryData: hex`02`, requiredHostname: hex`03` });
    expect(epd).toEqual(hex`02 0f 01 02 0a 02 02 00 03`);
    expect(decodeEpd(Buffer.concat([epd, hex`02 0f 09`]))).toEqual({ fingerprint: hex`01`, ancillaryData: hex`02`, requiredHostname: hex`03` });
  });

  it('refuses an EPD with none of the three, or with broken options', () => {
    for (const epd of [hex``, hex`02 33 01`, hex`05 0a`]) expect(() => decodeEpd(epd)).toThrow(RtmfpHandshakeError);
    expect(() => encodeEpd({})).toThrow(RangeError);
  });

  it('a fingerprint decides alone', () => {
    expect(epdSelectsCertificate({ fingerprint: client.fingerprint }, client)).toBe(true);
    expect(epdSelectsCertificate({ fingerprint: client.fingerprint, ancillaryData: hex`00` }, client)).toBe(true);
    expect(epdSelectsCertificate({ fingerprint: server.fingerprint }, client)).toBe(false);
  });

  it('ancillary data needs a certificate that accepts it', () => {
    expect(epdSelectsCertificate(decodeEpd(serverEpd('rtmfp://x/')), server)).toBe(true);
    expect(epdSelectsCertificate(decodeEpd(serverEpd('rtmfp://x/')), client)).toBe(false);
  });

  it('a required hostname must match the certificate', () => {
    expect(epdSelectsCertificate({ requiredHostname: Buffer.from('media.example') }, server)).toBe(true);
    expect(epdSelectsCertificate({ requiredHostname: Buffer.from('other.example') }, server)).toBe(false);
    expect(epdSelectsCertificate({ requiredHostname: Buffer.from('media.example') }, client)).toBe(false);
  });
});
