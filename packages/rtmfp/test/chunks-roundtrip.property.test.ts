import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk, openPacket, PacketCipher, sealPacket } from '../src/index.js';
import { anyChunk } from './helpers/arbitraries.js';

describe('chunk round trips', () => {
  it('decode(encode(chunk)) gives the chunk back, for every kind', () => {
    fc.assert(
      fc.property(anyChunk, (chunk) => {
        expect(decodeChunk(encodeChunk(chunk))).toEqual(chunk);
      }),
      { numRuns: 2000 },
    );
  });

  it('encode(decode(bytes)) gives the bytes back', () => {
    fc.assert(
      fc.property(anyChunk, (chunk) => {
        const raw = encodeChunk(chunk);
        expect(encodeChunk(decodeChunk(raw))).toEqual(raw);
      }),
      { numRuns: 500 },
    );
  });

  it('several chunks survive a sealed packet in order', () => {
    const cipher = new PacketCipher(Buffer.alloc(16, 7));
    fc.assert(
      fc.property(fc.array(anyChunk, { minLength: 1, maxLength: 6 }), (chunks) => {
        const datagram = sealPacket({ sessionId: 9, mode: 'responder', chunks: chunks.map(encodeChunk) }, cipher);
        expect(openPacket(datagram, cipher).chunks.map(decodeChunk)).toEqual(chunks);
      }),
      { numRuns: 300 },
    );
  });
});
