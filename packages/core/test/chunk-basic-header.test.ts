import { describe, expect, it } from 'vitest';
import { ChunkEncoder } from '../src/chunk/index.js';
import { hex } from './helpers/hex.js';
import { decodeEveryWay } from './fixtures/chunk/decode.js';

// Each vector is one whole message: basic header, an 11-byte fmt 0 message header, 2 data bytes.
const MESSAGE_HEADER = hex`
  00 00 07    # timestamp 7
  00 00 02    # message length 2
  08          # type 8 (audio)
  01 00 00 00 # message stream id 1 (little-endian)
  aa bb       # data
`;
const message = { type: 8, streamId: 1, timestamp: 7, payload: Buffer.from([0xaa, 0xbb]) };

describe('basic header', () => {
  const smallest: [csid: number, basic: Buffer][] = [
    [2, hex`02`], // fmt 0, 6-bit id 2
    [63, hex`3f`], // fmt 0, 6-bit id 63: the largest 1-byte form
    [64, hex`00 00`], // escape 0, then csid - 64 = 0
    [319, hex`00 ff`], // escape 0, csid - 64 = 255: the largest 2-byte form
    [320, hex`01 00 01`], // escape 1, csid - 64 = 256 low byte first: 00 01
    [65599, hex`01 ff ff`], // escape 1, csid - 64 = 65535
  ];

  it.each(smallest)('csid %i: decodes the smallest form, and the encoder writes it', (csid, basic) => {
    const bytes = Buffer.concat([basic, MESSAGE_HEADER]);
    expect(decodeEveryWay(bytes)).toEqual([{ csid, ...message }]);
    expect(new ChunkEncoder().encode(message, csid)).toEqual(bytes);
  });

  const threeByteForms: [csid: number, basic: Buffer][] = [
    [64, hex`01 00 00`], // escape 1, csid - 64 = 0 written in the 3-byte form
    [100, hex`01 24 00`], // escape 1, 36 low byte first
    [319, hex`01 ff 00`], // escape 1, 255 low byte first
  ];

  it.each(threeByteForms)('csid %i: also decodes the 3-byte form of an id in 64..319', (csid, basic) => {
    expect(decodeEveryWay(Buffer.concat([basic, MESSAGE_HEADER]))).toEqual([{ csid, ...message }]);
  });

  it('both forms of the same id address the same chunk stream', () => {
    const bytes = Buffer.concat([
      hex`00 24`, // fmt 0, csid 100 in the 2-byte form
      MESSAGE_HEADER,
      hex`c1 24 00  # fmt 3, csid 100 in the 3-byte form: a new message with the same header`,
      hex`cc dd     # data`,
    ]);
    const decoded = decodeEveryWay(bytes);
    expect(decoded.map((m) => m.csid)).toEqual([100, 100]);
    // fmt 3 after fmt 0 reuses the fmt 0 timestamp as its delta: 7 + 7.
    expect(decoded[1]).toEqual({ csid: 100, type: 8, streamId: 1, timestamp: 14, payload: hex`cc dd` });
  });

  const continuations: [csid: number, basic: Buffer, continuation: Buffer][] = [
    [63, hex`3f`, hex`ff`], // fmt 3 | 63
    [64, hex`00 00`, hex`c0 00`], // not 0xC0 | 64, which would be fmt 3 csid 0 + garbage (FFmpeg's bug)
    [319, hex`00 ff`, hex`c0 ff`],
    [320, hex`01 00 01`, hex`c1 00 01`],
    [65599, hex`01 ff ff`, hex`c1 ff ff`],
  ];

  it.each(continuations)('csid %i: continuation chunks repeat the full basic header with fmt 3', (csid, basic, continuation) => {
    const encoder = new ChunkEncoder({ chunkSize: 1 });
    const bytes = Buffer.concat([
      basic, // fmt 0
      hex`00 00 07  00 00 02  08  01 00 00 00  # ts 7, length 2, audio, stream 1`,
      hex`aa                                   # first byte (chunk size 1)`,
      continuation, // fmt 3, same csid
      hex`bb                                   # second byte`,
    ]);
    expect(encoder.encode(message, csid)).toEqual(bytes);
    const decoded = decodeEveryWay(bytes, { chunkSize: 1 });
    expect(decoded).toEqual([{ csid, ...message }]);
  });
});
