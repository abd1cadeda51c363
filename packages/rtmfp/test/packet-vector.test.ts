import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CIPHER,
  DEFAULT_SESSION_KEY,
  decodeChunk,
  decodeEpd,
  encodeIHello,
  encodePlainPacket,
  openStartupPacket,
  peekSessionId,
  sealStartupPacket,
  serverEpd,
} from '../src/index.js';
import { hex } from './helpers/hex.js';

// Test vector #1 of rtmfp.md §1.8: a Flash IHello to stratus.adobe.com under the default key,
// from the OpenRTMFP-era "encryption scheme" notes, re-checked there with openssl.

const URL = 'rtmfp://stratus.adobe.com/956d0095bc941624b20db77f-763ac4f46289/';
const TAG = hex`7d 1c 42 fb 55 1b b4 e7 8f 34 b6 c4 a0 11 cc bd`;

const PLAINTEXT = hex`
  0a 4d                 # checksum over everything after it, padding included
  0b                    # flags: timestamp present, mode 3 (startup)
  82 60                 # timestamp
  30 00 53              # chunk IHello, 83 bytes
  42                    # EPD field length 66
  41 0a                 #   option length 65, type 0x0a (ancillary data)
  72 74 6d 66 70 3a 2f 2f 73 74 72 61 74 75 73 2e 61 64 6f 62 65 2e 63 6f 6d 2f   # rtmfp://stratus.adobe.com/
  39 35 36 64 30 30 39 35 62 63 39 34 31 36 32 34 62 32 30 64 62 37 37 66 2d 37   # 956d0095bc941624b20db77f-7
  36 33 61 63 34 66 34 36 32 38 39 2f                                             # 63ac4f46289/
  7d 1c 42 fb 55 1b b4 e7 8f 34 b6 c4 a0 11 cc bd                                 # tag (16 bytes)
  ff ff ff ff ff        # padding to 96 bytes
`;

const DATAGRAM = hex`
  95 bd 4a 12                                       # session id 0, scrambled: 0 ^ d97ae8af ^ 4cc7a2bd
  d9 7a e8 af 4c c7 a2 bd 26 39 77 19 d7 42 31 a2   # AES-128-CBC, default key, zero IV
  31 bb 05 7c 0d e4 03 2a 4e fa c3 9b 11 d8 b8 98
  3f d6 aa b7 a1 98 f2 5f 75 ed e2 41 e5 20 0b 30
  fc 5d 46 33 05 f5 8b 93 a9 be 90 2d 8f 07 72 87
  20 b1 5e 15 08 95 83 a9 c1 c9 9a 6a ec 93 04 ff
  2b 66 a5 25 6d e7 06 48 d4 38 01 6b 8a c6 67 8b
`;

describe('test vector #1: a Flash IHello under the default key', () => {
  const ihello = encodeIHello({ epd: serverEpd(URL), tag: TAG });

  it('the default key is "Adobe Systems 02"', () => {
    expect(DEFAULT_SESSION_KEY).toEqual(hex`41 64 6f 62 65 20 53 79 73 74 65 6d 73 20 30 32`);
  });

  it('pads with ff to whole blocks and checksums after padding', () => {
    expect(encodePlainPacket({ mode: 'startup', timestamp: 0x8260 }, [ihello])).toEqual(PLAINTEXT);
  });

  it('encrypts and scrambles to the exact datagram', () => {
    expect(sealStartupPacket([ihello], { timestamp: 0x8260 })).toEqual(DATAGRAM);
    expect(DEFAULT_CIPHER.encrypt(PLAINTEXT)).toEqual(DATAGRAM.subarray(4));
  });

  it('decodes back to the same IHello', () => {
    expect(peekSessionId(DATAGRAM)).toBe(0);
    const packet = openStartupPacket(DATAGRAM);
    expect(packet).toMatchObject({ sessionId: 0, mode: 'startup', timestamp: 0x8260, timestampEcho: undefined, timeCritical: false });
    expect(packet.chunks).toHaveLength(1);
    const chunk = decodeChunk(packet.chunks[0]!);
    expect(chunk).toEqual({ kind: 'ihello', epd: serverEpd(URL), tag: TAG });
    expect(decodeEpd((chunk as { epd: Buffer }).epd).ancillaryData?.toString()).toBe(URL);
  });
});
