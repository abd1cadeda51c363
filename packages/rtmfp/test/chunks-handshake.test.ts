import { RtmpError, TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk, type Chunk, type RawChunk } from '../src/index.js';
import { hex } from './helpers/hex.js';

/** Checks a byte vector both ways: it decodes to `chunk`, and `chunk` encodes to it. */
function both(type: number, payload: Buffer, chunk: Chunk): void {
  const raw: RawChunk = { type, payload };
  expect(decodeChunk(raw)).toEqual(chunk);
  expect(encodeChunk(chunk)).toEqual(raw);
}

describe('handshake chunks (RFC 7016 §2.3.2–2.3.8)', () => {
  it('IHello 0x30', () => {
    both(0x30, hex`
      22 21 0f                                          # EPD field of 34 bytes: option of 33, type 0x0f (fingerprint)
      92 10 df 7c b6 56 ca d8 2a 60 7e fd 81 0e 6c 3f   # the 32-byte peer id
      92 2a 06 2e c7 da e6 df 0f 39 e8 a7 24 8d cb f8
      01 02 03 04                                       # tag: the rest
    `, {
      kind: 'ihello',
      epd: hex`21 0f 9210df7cb656cad82a607efd810e6c3f922a062ec7dae6df0f39e8a7248dcbf8`,
      tag: hex`01 02 03 04`,
    });
  });

  it('FIHello 0x0f', () => {
    both(0x0f, hex`
      03 02 0a 41     # EPD field of 3 bytes
      02 7f 00 00 01 07 8f   # reply address: observed, 127.0.0.1:1935
      aa bb           # tag
    `, {
      kind: 'fihello',
      epd: hex`02 0a 41`,
      replyAddress: { host: '127.0.0.1', port: 1935, origin: 'observed' },
      tag: hex`aa bb`,
    });
  });

  it('RHello 0x70', () => {
    both(0x70, hex`
      02 aa bb        # tag echo
      03 01 02 03     # cookie
      01 0a 02 15 02  # certificate (rest): accepts ancillary data, ephemeral group 2
    `, { kind: 'rhello', tagEcho: hex`aa bb`, cookie: hex`01 02 03`, certificate: hex`01 0a 02 15 02` });
  });

  it('Redirect 0x71, with addresses and empty', () => {
    both(0x71, hex`
      01 aa                   # tag echo
      02 c0 a8 89 01 d9 67    # observed 192.168.137.1:55655
      01 c0 a8 ca 63 d9 67    # reported 192.168.202.99:55655
    `, {
      kind: 'redirect',
      tagEcho: hex`aa`,
      addresses: [
        { host: '192.168.137.1', port: 55655, origin: 'observed' },
        { host: '192.168.202.99', port: 55655, origin: 'reported' },
      ],
    });
    both(0x71, hex`01 aa`, { kind: 'redirect', tagEcho: hex`aa`, addresses: [] });
  });

  it('Redirect with a cut address is refused', () => {
    expect(() => decodeChunk({ type: 0x71, payload: hex`01 aa 02 c0 a8` })).toThrow(TruncatedInputError);
  });

  it('RHello Cookie Change 0x79', () => {
    both(0x79, hex`
      02 01 02        # old cookie
      03 04 05        # new cookie (rest)
    `, { kind: 'cookie-change', oldCookie: hex`01 02`, newCookie: hex`03 04 05` });
  });

  it('IIKeying 0x38', () => {
    both(0x38, hex`
      02 00 00 00     # initiator session id 0x02000000 (what Flash picked)
      02 c0 c1        # cookie echo
      03 02 1d 02     # certificate field (a toy one)
      03 02 1d 02     # SKIC field: group select 2
      58              # signature 'X'
    `, {
      kind: 'iikeying',
      initiatorSessionId: 0x02000000,
      cookie: hex`c0 c1`,
      certificate: hex`02 1d 02`,
      skic: hex`02 1d 02`,
      signature: hex`58`,
    });
  });

  it('RIKeying 0x78', () => {
    both(0x78, hex`
      00 00 00 01     # responder session id 1
      07 03 1a 00 00 02 1e 00   # SKRC field: HMAC and sequence numbers declined
      58              # signature
    `, { kind: 'rikeying', responderSessionId: 1, skrc: hex`03 1a 00 00 02 1e 00`, signature: hex`58` });
  });

  it('a cut keying chunk is an RtmpError', () => {
    for (const payload of [hex`00 00 01`, hex`00 00 00 01 05 00`]) {
      expect(() => decodeChunk({ type: 0x78, payload })).toThrow(TruncatedInputError);
    }
    const error = (() => {
      try {
        decodeChunk({ type: 0x38, payload: hex`00` });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(RtmpError.isInstance(error)).toBe(true);
  });

  it('Packet Fragment 0x7f', () => {
    both(0x7f, hex`
      80          # flags: more fragments follow
      81 00       # packet id 128
      03          # fragment number 3
      de ad       # bytes
    `, { kind: 'fragment', more: true, packetId: 128, fragmentNumber: 3, data: hex`de ad` });
  });
});
