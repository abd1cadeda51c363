import { describe, expect, it } from 'vitest';
import { ChunkEncoder, encodeMessageChunks } from '../src/chunk/index.js';
import type { RtmpMessage } from '../src/message/rtmp-message.js';
import { hex } from './helpers/hex.js';
import { decodeEveryWay, decodeParts, pattern } from './fixtures/chunk/decode.js';

const msg = (timestamp: number, length: number, type = 9, streamId = 1): RtmpMessage => ({
  type,
  streamId,
  timestamp,
  payload: pattern(length, timestamp),
});

/** The fmt of the first chunk `encoder` writes for `message` on csid 3. */
const fmtOf = (encoder: ChunkEncoder, message: RtmpMessage): number => encoder.encode(message, 3)[0]! >>> 6;

describe('ChunkEncoder header choice', () => {
  it('fmt 0 first, fmt 1 on a new length or type, fmt 2 on a new delta, fmt 3 when all repeat', () => {
    const encoder = new ChunkEncoder();
    expect(fmtOf(encoder, msg(100, 10))).toBe(0); // new chunk stream
    expect(fmtOf(encoder, msg(140, 11))).toBe(1); // length changed
    expect(fmtOf(encoder, msg(180, 11, 8))).toBe(1); // type changed
    expect(fmtOf(encoder, msg(200, 11, 8))).toBe(2); // delta 20 instead of 40
    expect(fmtOf(encoder, msg(220, 11, 8))).toBe(3); // delta 20 again
    expect(fmtOf(encoder, msg(240, 11, 8))).toBe(3);
    expect(fmtOf(encoder, msg(240, 11, 8, 2))).toBe(0); // another message stream
    expect(fmtOf(encoder, msg(239, 11, 8, 2))).toBe(0); // time went backwards
  });

  it('after fmt 0, fmt 3 needs the delta to equal the fmt 0 timestamp (spec §5.3.1.2.4)', () => {
    const encoder = new ChunkEncoder();
    expect(fmtOf(encoder, msg(0, 4))).toBe(0);
    expect(fmtOf(encoder, msg(0, 4))).toBe(3); // delta 0 = the fmt 0 timestamp 0
    const other = new ChunkEncoder();
    expect(fmtOf(other, msg(30, 4))).toBe(0);
    expect(fmtOf(other, msg(60, 4))).toBe(3); // delta 30 = 30
  });

  it('keeps state per chunk stream', () => {
    const encoder = new ChunkEncoder();
    encoder.encode(msg(0, 4), 3);
    expect(encoder.encode(msg(0, 4), 300)[0]! >>> 6).toBe(0);
    expect(fmtOf(encoder, msg(0, 4))).toBe(3);
  });

  it('writes fmt 1 and fmt 2 headers field by field', () => {
    const encoder = new ChunkEncoder();
    encoder.encode({ type: 8, streamId: 1, timestamp: 10, payload: hex`01` }, 6);
    expect(encoder.encode({ type: 9, streamId: 1, timestamp: 25, payload: hex`02 03` }, 6)).toEqual(hex`
      46          # fmt 1, csid 6
      00 00 0f    # delta 15
      00 00 02    # length 2
      09          # type 9 (video)
      02 03       # data
    `);
    expect(encoder.encode({ type: 9, streamId: 1, timestamp: 26, payload: hex`04 05` }, 6)).toEqual(hex`
      86          # fmt 2, csid 6
      00 00 01    # delta 1
      04 05       # data
    `);
  });

  it('an empty message is one chunk', () => {
    expect(new ChunkEncoder().encodeChunks(msg(0, 0), 3)).toEqual([hex`03 000000 000000 09 01000000`]);
  });
});

describe('ChunkEncoder chunking', () => {
  it('encodeChunks gives the same bytes as encode, as views into one allocation', () => {
    const message = msg(5, 300);
    const whole = new ChunkEncoder({ chunkSize: 100 }).encode(message, 400);
    const chunks = new ChunkEncoder({ chunkSize: 100 }).encodeChunks(message, 400);
    expect(Buffer.concat(chunks)).toEqual(whole);
    expect(chunks.map((c) => c.length)).toEqual([3 + 11 + 100, 3 + 100, 3 + 100]);
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]!.buffer).toBe(chunks[0]!.buffer);
      expect(chunks[i]!.byteOffset).toBe(chunks[i - 1]!.byteOffset + chunks[i - 1]!.length);
    }
  });

  it('a payload of exactly the chunk size is one chunk; one byte more is two', () => {
    const encoder = new ChunkEncoder({ chunkSize: 64 });
    expect(encoder.encodeChunks(msg(0, 64), 3)).toHaveLength(1);
    expect(encoder.encodeChunks(msg(1, 65), 3)).toHaveLength(2);
  });

  it('setChunkSize applies to the next message', () => {
    const encoder = new ChunkEncoder();
    expect(encoder.chunkSize).toBe(128);
    encoder.setChunkSize(4096);
    expect(encoder.chunkSize).toBe(4096);
    expect(encoder.encodeChunks(msg(0, 4096), 3)).toHaveLength(1);
    encoder.setChunkSize(1);
    expect(encoder.encodeChunks(msg(1, 5), 3)).toHaveLength(5);
  });

  it('rejects arguments that do not fit the wire format', () => {
    const encoder = new ChunkEncoder();
    expect(() => new ChunkEncoder({ chunkSize: 0 })).toThrow(RangeError);
    expect(() => encoder.setChunkSize(0x80000000)).toThrow(RangeError);
    expect(() => encoder.encode(msg(0, 1), 1)).toThrow(RangeError);
    expect(() => encoder.encode(msg(0, 1), 65600)).toThrow(RangeError);
    expect(() => encoder.encode({ ...msg(0, 1), timestamp: -1 }, 3)).toThrow(RangeError);
    expect(() => encoder.encode({ ...msg(0, 1), timestamp: 2 ** 32 }, 3)).toThrow(RangeError);
    expect(() => encoder.encode({ ...msg(0, 1), type: 256 }, 3)).toThrow(RangeError);
    expect(() => encoder.encode({ ...msg(0, 1), streamId: 1.5 }, 3)).toThrow(RangeError);
    expect(() => encoder.encode({ ...msg(0, 0), payload: Buffer.alloc(0x1000000) }, 3)).toThrow(RangeError);
    expect(() => encoder.encode({ ...msg(0, 0), payload: new Uint8Array(1) as Buffer }, 3)).toThrow(TypeError);
  });
});

describe('shared encodes for fan-out', () => {
  it('encodeMessageChunks writes fmt 0 then fmt 3, whatever was sent before', () => {
    const message = { type: 9, streamId: 1, timestamp: 0x01000000, payload: hex`a0 a1 a2` };
    expect(encodeMessageChunks(message, 6, 2)).toEqual(hex`
      06 ff ff ff 00 00 03 09 01 00 00 00 # fmt 0, csid 6, marker, length 3, video, stream 1
      01 00 00 00                         # extended timestamp 0x01000000
      a0 a1                               # 2 bytes (chunk size 2)
      c6 01 00 00 00                      # continuation repeats the extended field
      a2                                  # last byte
    `);
    expect(encodeMessageChunks(message, 6, 2)).toEqual(new ChunkEncoder({ chunkSize: 2 }).encode(message, 6));
  });

  it('with recordSent, stateful encodes after a shared one stay correct', () => {
    const messages = [msg(0, 10), msg(33, 10), msg(66, 10), msg(100, 12), msg(133, 12), msg(166, 12)];
    const shared = new Set([1, 4]); // these go out as the shared fmt 0 bytes
    const encoder = new ChunkEncoder({ chunkSize: 8 });
    const wire = messages.map((message, i) => {
      if (!shared.has(i)) return encoder.encode(message, 6);
      encoder.recordSent(message, 6);
      return encodeMessageChunks(message, 6, 8);
    });
    const decoded = decodeEveryWay(Buffer.concat(wire), { chunkSize: 8 });
    expect(decoded).toEqual(messages.map((m) => ({ csid: 6, ...m })));
    // Relative to the shared fmt 0 at 33, 66 is delta 33 = that timestamp: a bare fmt 3.
    expect(wire[2]![0]! >>> 6).toBe(3);
    // Relative to the shared fmt 0 at 133, 166 is delta 33: fmt 2.
    expect(wire[5]![0]! >>> 6).toBe(2);
  });

  it('without recordSent the next stateful header is relative to the wrong message', () => {
    const encoder = new ChunkEncoder();
    const wire = [encoder.encode(msg(0, 4), 6), encodeMessageChunks(msg(50, 4), 6, 128), encoder.encode(msg(100, 4), 6)];
    // The encoder thinks the last message was at 0 with delta 0 and sends fmt 2 with delta 100,
    // which the peer adds to 50.
    expect(decodeParts(wire).map((m) => m.timestamp)).toEqual([0, 50, 150]);
  });

  it('recordSent validates like encode', () => {
    expect(() => new ChunkEncoder().recordSent(msg(0, 1), 0)).toThrow(RangeError);
  });
});
