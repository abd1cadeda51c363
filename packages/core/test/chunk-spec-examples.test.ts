import { describe, expect, it } from 'vitest';
import { ChunkEncoder } from '../src/chunk/index.js';
import { hex } from './helpers/hex.js';
import { decodeEveryWay, decodeParts, pattern } from './fixtures/chunk/decode.js';

// Adobe RTMP spec 1.0 (2012) §5.3.2: the two chunking examples, as bytes.

describe('spec §5.3.2.1: audio messages on chunk stream 3', () => {
  // Four 32-byte audio messages on message stream 12345, 20 ms apart from 1000.
  const audio = [1000, 1020, 1040, 1060].map((timestamp, i) => ({
    type: 8,
    streamId: 12345,
    timestamp,
    payload: pattern(32, i + 1),
  }));
  const bytes = Buffer.concat([
    hex`
      03          # basic header: fmt 0, csid 3
      00 03 e8    # timestamp 1000
      00 00 20    # message length 32
      08          # type 8 (audio)
      39 30 00 00 # message stream id 12345 = 0x3039, little-endian
    `,
    audio[0]!.payload,
    hex`
      83          # fmt 2, csid 3: same length, type and stream
      00 00 14    # timestamp delta 20
    `,
    audio[1]!.payload,
    hex`c3        # fmt 3, csid 3: everything repeats, including the delta of 20`,
    audio[2]!.payload,
    hex`c3        # fmt 3 again`,
    audio[3]!.payload,
  ]);

  it('decodes to the four messages, whole, split at every offset and byte by byte', () => {
    expect(decodeEveryWay(bytes)).toEqual(audio.map((message) => ({ csid: 3, ...message })));
  });

  it('is what the encoder writes: fmt 0, then fmt 2, then fmt 3', () => {
    const encoder = new ChunkEncoder();
    expect(Buffer.concat(audio.map((message) => encoder.encode(message, 3)))).toEqual(bytes);
  });

  it('hands out views of the input when a message lies in one chunk and one buffer', () => {
    const decoded = decodeParts([bytes]);
    const offsets = [12, 12 + 32 + 4, 12 + 32 + 4 + 32 + 1, 12 + 32 + 4 + 32 + 1 + 32 + 1];
    decoded.forEach((message, i) => {
      expect(message.payload.buffer).toBe(bytes.buffer);
      expect(message.payload.byteOffset).toBe(bytes.byteOffset + offsets[i]!);
    });
  });
});

describe('spec §5.3.2.2: a 307-byte video message at chunk size 128', () => {
  const video = { type: 9, streamId: 12346, timestamp: 1000, payload: pattern(307, 9) };
  const chunks = [
    Buffer.concat([
      hex`
        04          # basic header: fmt 0, csid 4
        00 03 e8    # timestamp 1000
        00 01 33    # message length 307
        09          # type 9 (video)
        3a 30 00 00 # message stream id 12346 = 0x303a, little-endian
      `,
      video.payload.subarray(0, 128),
    ]),
    Buffer.concat([hex`c4  # fmt 3, csid 4: continuation`, video.payload.subarray(128, 256)]),
    Buffer.concat([hex`c4  # fmt 3, csid 4: last 51 bytes`, video.payload.subarray(256)]),
  ];
  const bytes = Buffer.concat(chunks);

  it('decodes to the message, whole, split at every offset and byte by byte', () => {
    expect(decodeEveryWay(bytes)).toEqual([{ csid: 4, ...video }]);
  });

  it('is what the encoder writes, as 128 + 128 + 51 data bytes', () => {
    expect(new ChunkEncoder().encode(video, 4)).toEqual(bytes);
    const encoded = new ChunkEncoder().encodeChunks(video, 4);
    expect(encoded).toEqual(chunks);
    expect(encoded.map((chunk) => chunk.length)).toEqual([12 + 128, 1 + 128, 1 + 51]);
  });

  it('copies a multi-chunk message into one buffer of exactly its length', () => {
    const [message] = decodeParts([bytes]);
    expect(message!.payload.length).toBe(307);
    expect(message!.payload.buffer).not.toBe(bytes.buffer);
  });
});
