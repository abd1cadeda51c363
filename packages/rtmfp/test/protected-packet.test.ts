import { createDecipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PacketCipher, RtmfpPacketError, SequenceWindow, encodePing, internetChecksum, openPacket, sealPacket } from '../src/index.js';
import { hex } from './helpers/hex.js';

// The packet layout when a session negotiated a per-packet HMAC (RFC 7425 §4.6.3) or session
// sequence numbers (§4.6.4), as rtmfp-cpp sends and checks them: `VLU sequence number |
// [checksum] | flags ...`, and the HMAC of the ciphertext after the ciphertext.

describe('protected packets, byte by byte', () => {
  const key = Buffer.alloc(16, 0x11);
  const hmacKey = Buffer.alloc(32, 0x22);
  const cipher = new PacketCipher(key);
  const decrypt = (ciphertext: Buffer) => {
    const decipher = createDecipheriv('aes-128-cbc', key, Buffer.alloc(16)).setAutoPadding(false);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  };
  const packet = { sessionId: 0x01020304, mode: 'initiator' as const, timestamp: 0x1234, chunks: [encodePing(Buffer.from('hi'))] };
  const problem = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error instanceof RtmfpPacketError ? error.problem : String(error);
    }
    return undefined;
  };

  it('HMAC and sequence number: the number first, no checksum, HMAC-SHA256 of the ciphertext after it', () => {
    const protection = { hmac: { key: hmacKey, length: 10 } };
    const datagram = sealPacket(packet, cipher, { ...protection, sequenceNumber: 300 });
    expect(datagram.length).toBe(4 + 16 + 10);
    const ciphertext = datagram.subarray(4, 20);
    expect(datagram.subarray(20)).toEqual(createHmac('sha256', hmacKey).update(ciphertext).digest().subarray(0, 10));
    expect(decrypt(ciphertext)).toEqual(hex`
      82 2c          # session sequence number 300
      09 1234        # flags (TS, initiator) and timestamp: no checksum in front
      01 0002 6869   # ping "hi"
      ff ff ff ff ff ff   # padding to 16 bytes
    `);
    const opened = openPacket(datagram, cipher, {}, { ...protection, sequenceNumbers: true });
    expect(opened).toMatchObject({ sessionId: 0x01020304, mode: 'initiator', timestamp: 0x1234, sequenceNumber: 300 });
    expect(opened.chunks[0]!.payload.toString()).toBe('hi');

    const flip = (at: number) => {
      const copy = Buffer.from(datagram);
      copy[at]! ^= 1;
      return copy;
    };
    expect(problem(() => openPacket(flip(29), cipher, {}, { ...protection, sequenceNumbers: true }))).toBe('hmac');
    expect(problem(() => openPacket(flip(10), cipher, {}, { ...protection, sequenceNumbers: true }))).toBe('hmac');
    expect(problem(() => openPacket(datagram, cipher, {}, { hmac: { key: Buffer.alloc(32), length: 10 }, sequenceNumbers: true }))).toBe('hmac');
    expect(problem(() => openPacket(datagram, cipher))).toBe('misaligned'); // a session without the HMAC cannot read it
  });

  it('sequence number alone: the checksum follows it and covers only what follows the checksum', () => {
    const datagram = sealPacket(packet, cipher, { sequenceNumber: 5 });
    expect(datagram.length).toBe(4 + 16);
    const plain = decrypt(datagram.subarray(4));
    expect(plain[0]).toBe(5);
    expect(plain.readUInt16BE(1)).toBe(internetChecksum(plain, 3));
    expect(plain.subarray(3, 11)).toEqual(hex`09 1234 01 0002 6869`);
    expect(openPacket(datagram, cipher, {}, { sequenceNumbers: true }).sequenceNumber).toBe(5);
    expect(problem(() => openPacket(datagram, cipher))).toBe('checksum');
  });

  it('HMAC alone: no checksum, no sequence number', () => {
    const datagram = sealPacket(packet, cipher, { hmac: { key: hmacKey, length: 4 } });
    expect(decrypt(datagram.subarray(4, -4)).subarray(0, 3)).toEqual(hex`09 1234`);
    expect(openPacket(datagram, cipher, {}, { hmac: { key: hmacKey, length: 4 } }).sequenceNumber).toBeUndefined();
  });
});

describe('SequenceWindow', () => {
  it('drops repeats, and numbers 32 or more behind the highest; takes reordering within the window', () => {
    const window = new SequenceWindow();
    expect([0, 1, 2, 1, 0].map((n) => window.accept(n))).toEqual([true, true, true, false, false]);
    expect(window.accept(40)).toBe(true);
    expect(window.accept(8)).toBe(false); // 40 - 32
    expect(window.accept(9)).toBe(true);
    expect(window.accept(9)).toBe(false);
    expect(window.accept(39)).toBe(true);
    expect(window.accept(1000)).toBe(true);
    expect(window.accept(968)).toBe(false);
    expect(window.accept(969)).toBe(true);
  });
});
