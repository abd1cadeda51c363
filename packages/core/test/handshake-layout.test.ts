import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FMS_KEY,
  FMS_KEY_TEXT,
  FP_KEY,
  FP_KEY_TEXT,
  computeDigest,
  computeSignature,
  digestPosition,
  findDigest,
  hasDigestAt,
  keyPosition,
  signatureKey,
  writeDigest,
} from '../src/handshake/index.js';
import { HandshakeError } from '../src/errors/index.js';
import { hex } from './helpers/hex.js';

/** A zeroed 1536-byte packet with some bytes set, so each vector shows only the bytes that matter. */
function packetWith(patches: Record<number, Buffer>): Buffer {
  const packet = Buffer.alloc(1536);
  for (const [at, bytes] of Object.entries(patches)) bytes.copy(packet, Number(at));
  return packet;
}

/** A packet whose bytes are all different-looking, independent of our code. */
function patternedPacket(): Buffer {
  return Buffer.from(Array.from({ length: 1536 }, (_, i) => (i * 151 + 7) & 0xff));
}

const arbitraryPacket = fc.uint8Array({ minLength: 1536, maxLength: 1536 }).map((bytes) => Buffer.from(bytes));
const arbitraryLayout = fc.constantFrom('digest-first' as const, 'key-first' as const);

describe('handshake keys', () => {
  it('are the Adobe texts followed by the shared 32 bytes', () => {
    const tail = hex`
      f0 ee c2 4a 80 68 be e8 2e 00 d0 d1 02 9e 7e 57   # shared tail, first half
      6e ec 5d 2d 29 80 6f ab 93 b8 e6 36 cf eb 31 ae   # shared tail, second half
    `;
    expect(FP_KEY_TEXT.toString('latin1')).toBe('Genuine Adobe Flash Player 001');
    expect(FMS_KEY_TEXT.toString('latin1')).toBe('Genuine Adobe Flash Media Server 001');
    expect(FP_KEY).toEqual(Buffer.concat([FP_KEY_TEXT, tail]));
    expect(FMS_KEY).toEqual(Buffer.concat([FMS_KEY_TEXT, tail]));
    expect([FP_KEY_TEXT.length, FP_KEY.length, FMS_KEY_TEXT.length, FMS_KEY.length]).toEqual([30, 62, 36, 68]);
  });
});

describe('digestPosition', () => {
  it('digest-first: the four offset bytes 8..11 are added up, not read as an integer', () => {
    const packet = packetWith({
      8: hex`00 00 02 d8   # offset bytes: sum 2 + 216 = 218 (as a big-endian integer it would be 728 = 0 mod 728)`,
    });
    expect(digestPosition(packet, 'digest-first')).toBe(218 + 12);
  });

  it('digest-first: the sum wraps at 728', () => {
    const packet = packetWith({ 8: hex`ff ff ff ff   # sum 1020, 1020 % 728 = 292` });
    expect(digestPosition(packet, 'digest-first')).toBe(292 + 12);
  });

  it('key-first: the offset bytes are 772..775 and the digest block starts at 776', () => {
    const packet = packetWith({
      8: hex`ff ff ff ff     # digest-first offset bytes: ignored by this layout`,
      772: hex`01 02 03 04   # key-first offset bytes: sum 10`,
    });
    expect(digestPosition(packet, 'key-first')).toBe(10 + 776);
  });

  it('all-zero offset bytes give the first possible positions', () => {
    const packet = Buffer.alloc(1536);
    expect(digestPosition(packet, 'digest-first')).toBe(12);
    expect(digestPosition(packet, 'key-first')).toBe(776);
  });
});

describe('keyPosition', () => {
  it('digest-first: the key block is 772..1535, its offset bytes close it at 1532..1535', () => {
    const packet = packetWith({ 1532: hex`ff ff ff ff   # sum 1020, 1020 % 632 = 388` });
    expect(keyPosition(packet, 'digest-first')).toBe(388 + 772);
  });

  it('key-first: the key block is 8..771, its offset bytes close it at 768..771', () => {
    const packet = packetWith({
      768: hex`00 00 02 78    # sum 2 + 120 = 122 (as an integer 632 = 0 mod 632)`,
      1532: hex`ff ff ff ff   # digest-first key offset bytes: ignored by this layout`,
    });
    expect(keyPosition(packet, 'key-first')).toBe(122 + 8);
  });

  it('digest, key and offset bytes of one layout never overlap', () => {
    fc.assert(
      fc.property(arbitraryPacket, arbitraryLayout, (packet, layout) => {
        const digestAt = digestPosition(packet, layout);
        const keyAt = keyPosition(packet, layout);
        const [digestBlock, keyBlock] = layout === 'digest-first' ? [8, 772] : [772, 8];
        // digest after its block's 4 offset bytes, inside the block
        expect(digestAt).toBeGreaterThanOrEqual(digestBlock + 4);
        expect(digestAt + 32).toBeLessThanOrEqual(digestBlock + 764);
        // key inside its block, before the block's 4 trailing offset bytes
        expect(keyAt).toBeGreaterThanOrEqual(keyBlock);
        expect(keyAt + 128).toBeLessThanOrEqual(keyBlock + 760);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a packet that is not 1536 bytes with a HandshakeError', () => {
    expect(() => keyPosition(Buffer.alloc(100), 'key-first')).toThrow(HandshakeError);
    expect(() => digestPosition(Buffer.alloc(1535), 'digest-first')).toThrow(HandshakeError);
  });
});

describe('computeDigest', () => {
  it('is HMAC-SHA256 over the 1504 bytes around the digest', () => {
    const packet = patternedPacket();
    const position = 300;
    const around = Buffer.concat([packet.subarray(0, 300), packet.subarray(332)]);
    expect(around.length).toBe(1504);
    const expected = createHmac('sha256', FP_KEY_TEXT).update(around).digest();
    expect(computeDigest(packet, position, FP_KEY_TEXT)).toEqual(expected);
  });

  it('does not depend on the bytes it replaces', () => {
    const packet = patternedPacket();
    const before = computeDigest(packet, 40, FMS_KEY_TEXT);
    packet.fill(0xaa, 40, 72);
    expect(computeDigest(packet, 40, FMS_KEY_TEXT)).toEqual(before);
    packet[39] ^= 1;
    expect(computeDigest(packet, 40, FMS_KEY_TEXT)).not.toEqual(before);
  });

  it('works at both ends of the packet', () => {
    const packet = patternedPacket();
    expect(computeDigest(packet, 0, FP_KEY_TEXT)).toEqual(createHmac('sha256', FP_KEY_TEXT).update(packet.subarray(32)).digest());
    expect(computeDigest(packet, 1504, FP_KEY_TEXT)).toEqual(
      createHmac('sha256', FP_KEY_TEXT).update(packet.subarray(0, 1504)).digest(),
    );
    expect(() => computeDigest(packet, 1505, FP_KEY_TEXT)).toThrow(HandshakeError);
  });
});

describe('writeDigest and findDigest', () => {
  it('writes the digest where the layout says, as the test computes it independently', () => {
    const packet = packetWith({ 8: hex`00 00 00 05   # digest-first offset bytes: sum 5 -> digest at 17` });
    expect(writeDigest(packet, 'digest-first', FP_KEY_TEXT)).toBe(17);
    const around = Buffer.concat([packet.subarray(0, 17), packet.subarray(49)]);
    expect(packet.subarray(17, 49)).toEqual(createHmac('sha256', FP_KEY_TEXT).update(around).digest());
    expect(findDigest(packet, FP_KEY_TEXT)).toEqual({ layout: 'digest-first', position: 17, digest: packet.subarray(17, 49) });
  });

  it('finds a digest written in either layout, and only under the right key', () => {
    fc.assert(
      fc.property(arbitraryPacket, arbitraryLayout, (packet, layout) => {
        const position = writeDigest(packet, layout, FMS_KEY_TEXT);
        const found = findDigest(packet, FMS_KEY_TEXT);
        expect(found?.layout).toBe(layout);
        expect(found?.position).toBe(position);
        expect(hasDigestAt(packet, layout, FMS_KEY_TEXT)).toBe(true);
        expect(findDigest(packet, FP_KEY_TEXT)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });

  it('loses the digest when any single byte changes', () => {
    fc.assert(
      fc.property(arbitraryPacket, arbitraryLayout, fc.nat(1535), fc.integer({ min: 1, max: 255 }), (packet, layout, at, flip) => {
        writeDigest(packet, layout, FP_KEY_TEXT);
        packet[at] ^= flip;
        expect(findDigest(packet, FP_KEY_TEXT)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('tries the layouts in the order given', () => {
    const packet = patternedPacket();
    writeDigest(packet, 'key-first', FP_KEY_TEXT);
    expect(findDigest(packet, FP_KEY_TEXT, ['key-first'])?.layout).toBe('key-first');
    expect(findDigest(packet, FP_KEY_TEXT, ['digest-first'])).toBeUndefined();
  });
});

describe('C2/S2 signature', () => {
  it('is HMAC(HMAC(full key, peer digest), bytes 0..1503), computed independently', () => {
    const peerDigest = Buffer.alloc(32, 0x5a);
    const response = patternedPacket();
    const key = createHmac('sha256', FMS_KEY).update(peerDigest).digest();
    expect(signatureKey(peerDigest, FMS_KEY)).toEqual(key);
    const expected = createHmac('sha256', key).update(response.subarray(0, 1504)).digest();
    expect(computeSignature(response, key)).toEqual(expected);
    // the last 32 bytes are where the signature goes, so they are not covered
    response.fill(0, 1504);
    expect(computeSignature(response, key)).toEqual(expected);
  });

  it('uses different keys for C2 (FP) and S2 (FMS)', () => {
    const peerDigest = Buffer.alloc(32, 1);
    expect(signatureKey(peerDigest, FP_KEY)).not.toEqual(signatureKey(peerDigest, FMS_KEY));
    expect(() => computeSignature(Buffer.alloc(1504), signatureKey(peerDigest, FP_KEY))).toThrow(HandshakeError);
  });
});
