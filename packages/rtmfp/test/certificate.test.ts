import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtmfpHandshakeError, certificateGroups, decodeCertificate, encodeCertificate } from '../src/index.js';
import { hex } from './helpers/hex.js';

const KEY = Buffer.alloc(128, 0x5a);

describe('certificates (RFC 7425 §4.3)', () => {
  it('encodes the Flash Player shape: one static group 2 key', () => {
    const cert = encodeCertificate({ staticKeys: [{ group: 2, publicKey: KEY }] });
    expect(cert).toEqual(hex`
      81 02      # option length 130
      1d         # type: static DH public key
      02         # group 2
      ${KEY.toString('hex')}   # the 128-byte key
    `);
    const decoded = decodeCertificate(cert);
    expect(decoded.isStatic).toBe(true);
    expect(decoded.staticKeys.get(2)).toEqual(KEY);
    expect(decoded.fingerprint).toEqual(createHash('sha256').update(cert).digest()); // no marker: all of it is canonical
  });

  it('encodes a Cumulus-style server certificate', () => {
    const randomness = Buffer.alloc(64, 0xee);
    const cert = encodeCertificate({ acceptsAncillaryData: true, extraRandomness: randomness, ephemeralGroups: [2, 14] });
    expect(cert).toEqual(hex`
      01 0a                    # accepts ancillary data (empty)
      41 0e ${randomness.toString('hex')}   # 64 bytes of extra randomness
      02 15 02                 # ephemeral group 2
      02 15 0e                 # ephemeral group 14
    `);
    const decoded = decodeCertificate(cert);
    expect(decoded).toMatchObject({ acceptsAncillaryData: true, isStatic: false, ephemeralGroups: [2, 14], hostname: undefined });
    expect(certificateGroups(decoded)).toEqual([2, 14]);
  });

  it('reads a hostname', () => {
    const decoded = decodeCertificate(encodeCertificate({ hostname: 'example.net', ephemeralGroups: [2] }));
    expect(decoded.hostname?.toString()).toBe('example.net');
  });

  it('the fingerprint covers the options up to and including the first marker, as rtmfp-cpp hashes them', () => {
    const canonical = hex`02 15 02 00`;
    const cert = Buffer.concat([canonical, hex`02 15 0e 41 0e ${'11'.repeat(64)}`]);
    const decoded = decodeCertificate(cert);
    expect(decoded.canonical).toEqual(canonical);
    expect(decoded.fingerprint).toEqual(createHash('sha256').update(canonical).digest());
    expect(decoded.ephemeralGroups).toEqual([2]); // options after the marker do not count
  });

  it('refuses both or neither key kinds, and bytes that are not options', () => {
    const bad = [
      hex`02 15 02 03 1d 02 aa`, // ephemeral group and static key
      hex`01 0a`, // neither
      hex``,
      hex`05 15 02`, // cut
      hex`01 15`, // a group option without a group id
    ];
    for (const cert of bad) {
      expect(() => decodeCertificate(cert)).toThrow(RtmfpHandshakeError);
    }
    expect(() => encodeCertificate({ ephemeralGroups: [2], staticKeys: [{ group: 2, publicKey: KEY }] })).toThrow(RangeError);
  });

  it('keeps the first static key per group', () => {
    const decoded = decodeCertificate(hex`03 1d 02 aa 03 1d 02 bb 03 1d 0e cc`);
    expect([...decoded.staticKeys]).toEqual([[2, hex`aa`], [14, hex`cc`]]);
  });
});
