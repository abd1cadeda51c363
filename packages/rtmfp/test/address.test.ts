import fc from 'fast-check';
import { ByteReader, TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { bytesToIp, encodeAddress, ipToBytes, readAddress } from '../src/index.js';
import { hex } from './helpers/hex.js';

describe('IP text', () => {
  it.each([
    ['192.168.137.1', 'c0a88901'],
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::8:800:200c:417a', '20010db8000000000008080020 0c417a'.replace(/ /g, '')],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
  ])('%s ↔ %s', (text, bytes) => {
    expect(ipToBytes(text).toString('hex')).toBe(bytes);
    expect(ipToBytes(bytesToIp(Buffer.from(bytes, 'hex'))).toString('hex')).toBe(bytes);
  });

  it('writes IPv6 in RFC 5952 form: lower case, the longest zero run shortened, a lone zero group kept', () => {
    expect(bytesToIp(hex`2001 0db8 0000 0000 0001 0000 0000 0000`)).toBe('2001:db8:0:0:1::');
    expect(bytesToIp(hex`2001 0db8 0000 0001 0001 0001 0001 0001`)).toBe('2001:db8:0:1:1:1:1:1');
    expect(bytesToIp(hex`ABCD 0000 0000 0000 0000 0000 0000 0001`)).toBe('abcd::1');
  });

  it('accepts brackets and drops a zone', () => {
    expect(bytesToIp(ipToBytes('[fe80::1%eth0]'))).toBe('fe80::1');
  });

  it.each(['', '1.2.3', '256.1.1.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'example.com', '::g'])('refuses %j', (text) => {
    expect(() => ipToBytes(text)).toThrow(RangeError);
  });

  it('round-trips any 4 or 16 bytes through text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 })), (bytes) => {
        expect(ipToBytes(bytesToIp(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('address encoding (Redirect, FIHello)', () => {
  it('encodes an observed IPv4 address', () => {
    expect(encodeAddress({ host: '192.168.137.1', port: 55655, origin: 'observed' })).toEqual(hex`
      02            # flags: IPv4, origin 2 (observed)
      c0 a8 89 01   # 192.168.137.1
      d9 67         # port 55655
    `);
  });

  it('encodes a reported IPv6 address', () => {
    expect(encodeAddress({ host: '::1', port: 1935, origin: 'reported' })).toEqual(hex`
      81                                                # flags: 0x80 IPv6, origin 1 (reported)
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # ::1
      07 8f                                             # port 1935
    `);
  });

  it('ignores reserved flag bits, as rtmfp-cpp does', () => {
    expect(readAddress(new ByteReader(hex`7f 7f 00 00 01 07 8f`))).toEqual({ host: '127.0.0.1', port: 1935, origin: 'relay' });
  });

  it('refuses a cut address', () => {
    expect(() => readAddress(new ByteReader(hex`80 00 00`))).toThrow(TruncatedInputError);
  });

  it('round-trips', () => {
    const address = fc.record({
      host: fc.oneof(fc.ipV4(), fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => bytesToIp(b))),
      port: fc.integer({ min: 0, max: 0xffff }),
      origin: fc.constantFrom('unspecified', 'reported', 'observed', 'relay' as const),
    });
    fc.assert(
      fc.property(address, (value) => {
        const decoded = readAddress(new ByteReader(encodeAddress(value)));
        expect(decoded).toEqual({ ...value, host: bytesToIp(ipToBytes(value.host)) });
      }),
    );
  });
});
