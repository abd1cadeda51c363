import { describe, expect, it } from 'vitest';
import { looksLikeFirstChunk } from '../src/rtmpe/first-chunk.js';
import { seededRandom } from './helpers/handshake.js';
import { hex } from './helpers/hex.js';

describe('looksLikeFirstChunk', () => {
  it('accepts type-0 headers of a connect, a Set Chunk Size and a Window Ack Size', () => {
    expect(looksLikeFirstChunk(hex`03 000000 0000f2 14 00000000 02 0007`)).toBe('yes');
    expect(looksLikeFirstChunk(hex`02 000000 000004 01 00000000 00001000`)).toBe('yes');
    expect(looksLikeFirstChunk(hex`02 000000 000004 05 00000000`)).toBe('yes');
  });

  it('reads past 2- and 3-byte basic headers', () => {
    expect(looksLikeFirstChunk(hex`00 05 000000 000010 14 00000000`)).toBe('yes');
    expect(looksLikeFirstChunk(hex`01 05 01 000000 000010 14 00000000`)).toBe('yes');
    expect(looksLikeFirstChunk(hex`01 05 01 000000 000010 14 000000`)).toBe('more');
  });

  it('refuses other chunk types, unknown message types and large message stream ids', () => {
    expect(looksLikeFirstChunk(hex`43 000000 0000f2 14`)).toBe('no');
    expect(looksLikeFirstChunk(hex`03 000000 0000f2 07 00000000`)).toBe('no');
    expect(looksLikeFirstChunk(hex`03 000000 0000f2 14 00000100`)).toBe('no');
  });

  it('asks for more while the header is incomplete', () => {
    expect(looksLikeFirstChunk(new Uint8Array(0))).toBe('more');
    expect(looksLikeFirstChunk(hex`03 000000 0000f2 14 0000`)).toBe('more');
  });

  it('random bytes (what a wrong RC4 key gives) almost never pass', () => {
    const random = seededRandom(99);
    let passed = 0;
    for (let i = 0; i < 20_000; i++) if (looksLikeFirstChunk(random(14)) === 'yes') passed++;
    expect(passed).toBeLessThanOrEqual(1);
  });
});
