import fc from 'fast-check';
import { LimitExceededError, RtmpError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CIPHER,
  PacketCipher,
  RtmfpPacketError,
  datagramSize,
  decodePlainPacket,
  encodeClose,
  encodeFlags,
  encodePing,
  encodePlainPacket,
  internetChecksum,
  modeOfFlags,
  openPacket,
  peekSessionId,
  sealPacket,
  type PacketHeader,
  type RawChunk,
} from '../src/index.js';
import { hex } from './helpers/hex.js';

const KEY = new PacketCipher(hex`00112233445566778899aabbccddeeff`);

function problem(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof RtmfpPacketError) return error.problem;
    throw error;
  }
  return undefined;
}

/** A plaintext with a valid checksum around arbitrary bytes after the checksum field. */
function withChecksum(afterChecksum: Buffer): Buffer {
  const plain = Buffer.concat([Buffer.alloc(2), afterChecksum]);
  plain.writeUInt16BE(internetChecksum(plain, 2), 0);
  return plain;
}

describe('flags byte (RFC 7016 §2.2.4)', () => {
  it.each<[number, PacketHeader]>([
    [0x0b, { mode: 'startup', timestamp: 0 }], // every handshake packet in the capture
    [0x8d, { mode: 'initiator', timeCritical: true, timestamp: 0, timestampEcho: 0 }], // Flash sending data
    [0x0d, { mode: 'initiator', timestamp: 0, timestampEcho: 0 }], // Flash pure ack
    [0x4e, { mode: 'responder', timeCriticalReverse: true, timestamp: 0, timestampEcho: 0 }], // server replies
    [0x4a, { mode: 'responder', timeCriticalReverse: true, timestamp: 0 }], // MonaServer default
  ])('0x%s', (flags, header) => {
    expect(encodeFlags(header)).toBe(flags);
    expect(modeOfFlags(flags)).toBe(header.mode);
  });

  it('mode 0 is invalid', () => {
    expect(problem(() => modeOfFlags(0x0c))).toBe('mode');
  });
});

describe('datagram checks, cheapest first', () => {
  it('refuses a datagram shorter than 20 bytes before anything else', () => {
    expect(problem(() => peekSessionId(Buffer.alloc(19)))).toBe('short');
    expect(problem(() => openPacket(Buffer.alloc(4), KEY))).toBe('short');
  });

  it('refuses an encrypted part that is not whole blocks', () => {
    expect(problem(() => openPacket(Buffer.alloc(21), KEY))).toBe('misaligned');
    expect(problem(() => openPacket(Buffer.alloc(35), KEY))).toBe('misaligned');
  });

  it('refuses a datagram under the wrong key by its checksum', () => {
    const datagram = sealPacket({ sessionId: 7, mode: 'initiator', chunks: [encodePing(hex`01`)] }, KEY);
    expect(problem(() => openPacket(datagram, DEFAULT_CIPHER))).toBe('checksum');
    expect(openPacket(datagram, KEY).sessionId).toBe(7);
  });

  it('refuses a datagram with one bit flipped', () => {
    const datagram = sealPacket({ sessionId: 7, mode: 'initiator', chunks: [encodePing(hex`01`)] }, KEY);
    datagram[datagram.length - 1]! ^= 0x01;
    expect(problem(() => openPacket(datagram, KEY))).toBe('checksum');
  });

  it('refuses mode 0 after the checksum', () => {
    const datagram = Buffer.concat([Buffer.alloc(4), KEY.encrypt(withChecksum(Buffer.concat([hex`00`, Buffer.alloc(13, 0xff)])))]);
    expect(problem(() => openPacket(datagram, KEY))).toBe('mode');
  });

  it('refuses a chunk longer than what is left of the packet', () => {
    const plain = withChecksum(hex`
      09           # flags: timestamp, mode initiator
      00 01        # timestamp
      01 00 20     # ping claiming 32 bytes
      aa bb cc dd ee ff 00 11 22 33   # only 10 are left
    `);
    expect(problem(() => decodePlainPacket(plain))).toBe('chunk');
  });

  it('a plaintext that ends inside its header is short, not a crash', () => {
    expect(problem(() => decodePlainPacket(withChecksum(hex`0d 00`)))).toBe('short');
  });

  it('every refusal is an RtmpError with the protocol code', () => {
    try {
      openPacket(Buffer.alloc(20), KEY);
    } catch (error) {
      expect(RtmpError.isInstance(error)).toBe(true);
      expect((error as RtmpError).code).toBe('ERR_RTMP_PROTOCOL');
    }
    expect.assertions(2);
  });

  it('limit maxDatagramSize: a bigger datagram is refused before decrypting', () => {
    const big = sealPacket({ sessionId: 1, mode: 'initiator', chunks: [encodePing(Buffer.alloc(200))] }, KEY);
    expect(() => openPacket(big, KEY, { maxDatagramSize: 200 })).toThrow(LimitExceededError);
    expect(() => openPacket(big, KEY, { maxDatagramSize: big.length })).not.toThrow();
    const error = (() => { try { openPacket(big, KEY, { maxDatagramSize: 200 }); } catch (e) { return e as LimitExceededError; } })();
    expect(error?.limit).toBe('maxDatagramSize');
  });
});

describe('plaintext layout', () => {
  it('stops at padding (0xff) and at type 0x00', () => {
    const plain = encodePlainPacket({ mode: 'responder' }, [encodeClose()]);
    expect(plain).toEqual(hex`
      ${plain.subarray(0, 2).toString('hex')}   # checksum
      02                                        # flags: mode responder, no timestamps
      0c 00 00                                  # close request
      ff ff ff ff ff ff ff ff ff ff             # padding to 16
    `);
    expect(decodePlainPacket(plain).chunks).toEqual([{ type: 0x0c, payload: hex`` }]);
    const zeroTyped = withChecksum(hex`02 0c 00 00 00 01 00 00 0c 00 00 ff ff ff ff ff ff`.subarray(0, 14));
    expect(decodePlainPacket(zeroTyped).chunks).toHaveLength(1);
  });

  it('adds no padding block when the plaintext is already whole blocks', () => {
    const plain = encodePlainPacket({ mode: 'initiator' }, [encodePing(Buffer.alloc(10))]);
    expect(plain.length).toBe(16);
    expect(datagramSize(16)).toBe(20);
    expect(datagramSize(17)).toBe(36);
  });

  it('round-trips any packet through seal and open', () => {
    const chunk = fc.record({
      type: fc.integer({ min: 1, max: 254 }),
      payload: fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
    });
    const packet = fc.record({
      sessionId: fc.nat({ max: 0xffffffff }),
      mode: fc.constantFrom('initiator', 'responder', 'startup' as const),
      timeCritical: fc.boolean(),
      timeCriticalReverse: fc.boolean(),
      timestamp: fc.option(fc.nat({ max: 0xffff }), { nil: undefined }),
      timestampEcho: fc.option(fc.nat({ max: 0xffff }), { nil: undefined }),
      chunks: fc.array(chunk, { maxLength: 5 }),
    });
    fc.assert(
      fc.property(packet, (value) => {
        const datagram = sealPacket(value, KEY);
        expect((datagram.length - 4) % 16).toBe(0);
        expect(peekSessionId(datagram)).toBe(value.sessionId);
        expect(openPacket(datagram, KEY)).toEqual(value);
      }),
    );
  });

  it('refuses to frame what cannot be framed', () => {
    const tooLong: RawChunk = { type: 0x10, payload: Buffer.alloc(0x10000) };
    expect(() => encodePlainPacket({ mode: 'initiator' }, [tooLong])).toThrow(RangeError);
    expect(() => encodePlainPacket({ mode: 'initiator' }, [{ type: 0xff, payload: hex`` }])).toThrow(RangeError);
    expect(() => sealPacket({ sessionId: -1, mode: 'initiator', chunks: [] }, KEY)).toThrow(RangeError);
  });
});
