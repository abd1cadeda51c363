import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkDecoder, ChunkEncoder } from '../src/chunk/index.js';
import type { RtmpMessage } from '../src/message/rtmp-message.js';

function encodeAll(messages: RtmpMessage[], chunkSize: number): Buffer {
  const encoder = new ChunkEncoder({ chunkSize });
  return Buffer.concat(messages.map((message) => encoder.encode(message, message.type === 8 ? 4 : 6)));
}

/** Decodes, copying each payload at once (what a reuse-mode consumer must do). */
function decodeCopying(bytes: Buffer, options: ConstructorParameters<typeof ChunkDecoder>[0], pieceSize: number) {
  const decoder = new ChunkDecoder(options);
  const out: Array<{ message: RtmpMessage; buffer: ArrayBufferLike }> = [];
  for (let at = 0; at < bytes.length; at += pieceSize) {
    decoder.push(bytes.subarray(at, at + pieceSize), (message) =>
      out.push({ message: { ...message, payload: Buffer.from(message.payload) }, buffer: message.payload.buffer }),
    );
  }
  return out;
}

const video = (timestamp: number, length: number, fill: number): RtmpMessage => ({
  type: 9,
  streamId: 1,
  timestamp,
  payload: Buffer.alloc(length, fill),
});

describe('reuseBuffersUpTo', () => {
  it('reassembles consecutive multi-chunk messages of one chunk stream in the same memory', () => {
    const messages = [video(0, 5000, 1), video(40, 4000, 2), video(80, 5000, 3)];
    const decoded = decodeCopying(encodeAll(messages, 128), { reuseBuffersUpTo: 1 << 20 }, 1000);
    expect(decoded.map((d) => d.message)).toEqual(messages);
    expect(new Set(decoded.map((d) => d.buffer)).size).toBe(1);
  });

  it('by default every payload stays intact while later messages arrive', () => {
    const messages = [video(0, 5000, 1), video(40, 4000, 2), video(80, 70_000, 3), video(120, 5000, 4)];
    const decoder = new ChunkDecoder();
    const kept: Buffer[] = [];
    decoder.push(encodeAll(messages, 128), (message) => kept.push(message.payload));
    expect(kept).toEqual(messages.map((message) => message.payload));
  });

  it('messages above the threshold are never overwritten', () => {
    const messages = [video(0, 9000, 1), video(40, 9000, 2)];
    const decoder = new ChunkDecoder({ reuseBuffersUpTo: 8192 });
    const kept: Buffer[] = [];
    decoder.push(encodeAll(messages, 128), (message) => kept.push(message.payload));
    expect(kept).toEqual(messages.map((message) => message.payload));
  });

  it('decodes the same messages as the default mode, whatever the sizes and splits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ type: fc.constantFrom(8, 9), length: fc.integer({ min: 0, max: 6000 }), fill: fc.nat(255) }), {
          maxLength: 8,
        }),
        fc.constantFrom(128, 4096),
        fc.integer({ min: 64, max: 9000 }),
        fc.integer({ min: 0, max: 16_384 }),
        (specs, chunkSize, pieceSize, reuse) => {
          const messages = specs.map((spec, i) => ({ type: spec.type, streamId: 1, timestamp: i * 10, payload: Buffer.alloc(spec.length, spec.fill) }));
          const bytes = encodeAll(messages, chunkSize);
          const plain = decodeCopying(bytes, { chunkSize }, pieceSize).map((d) => d.message);
          const reused = decodeCopying(bytes, { chunkSize, reuseBuffersUpTo: reuse }, pieceSize).map((d) => d.message);
          expect(reused).toEqual(plain);
          expect(plain).toEqual(messages);
        },
      ),
      { numRuns: 40 },
    );
  });
});
