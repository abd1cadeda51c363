import { describe, expect, it } from 'vitest';
import { ChunkEncoder, type ExtendedTimestampMode } from '../src/chunk/index.js';
import { hex } from './helpers/hex.js';
import { decodeEveryWay, decodeParts } from './fixtures/chunk/decode.js';

const modes: ExtendedTimestampMode[] = ['auto', 'always', 'never'];

describe('extended timestamp on fmt 0/1/2 headers (always present)', () => {
  it.each(modes)('fmt 0 with a timestamp above 24 bits (%s)', (mode) => {
    const bytes = hex`
      03          # fmt 0, csid 3
      ff ff ff    # timestamp: see the extended field
      00 00 02    # length 2
      09          # type 9 (video)
      01 00 00 00 # message stream id 1
      12 34 56 78 # extended timestamp 0x12345678
      aa bb       # data
    `;
    const message = { type: 9, streamId: 1, timestamp: 0x12345678, payload: hex`aa bb` };
    expect(decodeEveryWay(bytes, { extendedTimestampOnType3: mode })).toEqual([{ csid: 3, ...message }]);
    expect(new ChunkEncoder().encode(message, 3)).toEqual(bytes);
  });

  it('0xFFFFFF itself is the marker, so it goes in the extended field; 0xFFFFFE does not', () => {
    const at = (timestamp: number) => ({ type: 8, streamId: 0, timestamp, payload: Buffer.alloc(0) });
    expect(new ChunkEncoder().encode(at(0xffffff), 5)).toEqual(hex`
      05 ff ff ff 00 00 00 08 00 00 00 00 # fmt 0 csid 5, marker, length 0, type 8, stream 0
      00 ff ff ff                         # extended timestamp 0xFFFFFF
    `);
    expect(new ChunkEncoder().encode(at(0xfffffe), 5)).toEqual(hex`
      05 ff ff fe 00 00 00 08 00 00 00 00 # fmt 0 csid 5, timestamp 0xFFFFFE, no extended field
    `);
    expect(decodeEveryWay(new ChunkEncoder().encode(at(0xffffff), 5))[0]!.timestamp).toBe(0xffffff);
  });

  it('fmt 1 with a delta above 24 bits', () => {
    const bytes = hex`
      03 00 00 0a 00 00 01 08 01 00 00 00 # fmt 0, csid 3, ts 10, length 1, audio, stream 1
      11                                  # data
      43          # fmt 1, csid 3
      ff ff ff    # delta: see the extended field
      00 00 02    # length 2
      09          # type 9 (video)
      01 00 00 00 # extended delta 0x01000000
      22 33       # data
    `;
    const messages = [
      { type: 8, streamId: 1, timestamp: 10, payload: hex`11` },
      { type: 9, streamId: 1, timestamp: 0x0100000a, payload: hex`22 33` },
    ];
    expect(decodeEveryWay(bytes)).toEqual(messages.map((m) => ({ csid: 3, ...m })));
    const encoder = new ChunkEncoder();
    expect(Buffer.concat(messages.map((m) => encoder.encode(m, 3)))).toEqual(bytes);
  });

  it('deltas add modulo 2^32 (the decoder follows a wrapping delta)', () => {
    // An encoder sends fmt 0 when time goes backwards numerically; a peer may still send a
    // delta across the wrap, and the sum must wrap too.
    const bytes = hex`
      03 ff ff ff 00 00 01 08 01 00 00 00 # fmt 0, csid 3, marker, length 1, audio, stream 1
      ff ff ff f0                         # extended timestamp 0xFFFFFFF0
      11                                  # data
      83 00 00 20                         # fmt 2, delta 0x20: 0xFFFFFFF0 + 0x20 wraps to 0x10
      22                                  # data (the new header has no marker: no extended field)
    `;
    expect(decodeEveryWay(bytes).map((m) => m.timestamp)).toEqual([0xfffffff0, 0x10]);
  });

  it('the encoder restarts with fmt 0 when the timestamp wraps', () => {
    const encoder = new ChunkEncoder();
    encoder.encode({ type: 8, streamId: 1, timestamp: 0xfffffff0, payload: hex`11` }, 3);
    expect(encoder.encode({ type: 8, streamId: 1, timestamp: 0x10, payload: hex`22` }, 3)).toEqual(hex`
      03 00 00 10 00 00 01 08 01 00 00 00 # fmt 0, csid 3, ts 0x10, length 1, audio, stream 1
      22
    `);
  });
});

// One 6-byte message at chunk size 4 with timestamp 0x01020304: two chunks.
const firstChunk = hex`
  03          # fmt 0, csid 3
  ff ff ff    # marker
  00 00 06    # length 6
  09          # type 9 (video)
  01 00 00 00 # message stream id 1
  01 02 03 04 # extended timestamp 0x01020304
  d0 d1 d2 d3 # first 4 data bytes
`;
const specContinuation = hex`
  c3          # fmt 3, csid 3 (continuation)
  01 02 03 04 # extended timestamp repeated (2012 spec, Flash, FFmpeg, librtmp 2.6)
  d4 d5       # last 2 data bytes
`;
const librtmp24Continuation = hex`
  c3          # fmt 3, csid 3 (continuation); librtmp <= 2.4 leaves the field out
  d4 d5       # last 2 data bytes
`;
const sent = { csid: 3, type: 9, streamId: 1, timestamp: 0x01020304, payload: hex`d0 d1 d2 d3 d4 d5` };
// A second message that follows on the same chunk stream: fmt 2 without a marker turns the field off.
const nextMessage = hex`
  83 00 00 10 # fmt 2, csid 3, delta 16
  e0 e1 e2 e3 # 4 data bytes
  c3          # continuation: no extended field any more
  e4 e5       # last 2 data bytes
`;
const next = { csid: 3, type: 9, streamId: 1, timestamp: 0x01020314, payload: hex`e0 e1 e2 e3 e4 e5` };

describe('extended timestamp on fmt 3 continuation chunks', () => {
  const spec = Buffer.concat([firstChunk, specContinuation, nextMessage]);
  const librtmp = Buffer.concat([firstChunk, librtmp24Continuation, nextMessage]);

  it('the encoder repeats the field after every continuation header', () => {
    const encoder = new ChunkEncoder({ chunkSize: 4 });
    expect(encoder.encode({ type: 9, streamId: 1, timestamp: 0x01020304, payload: sent.payload }, 3)).toEqual(
      Buffer.concat([firstChunk, specContinuation]),
    );
    expect(encoder.encode({ type: 9, streamId: 1, timestamp: 0x01020314, payload: next.payload }, 3)).toEqual(nextMessage);
  });

  it("'auto' decodes both peer styles", () => {
    expect(decodeEveryWay(spec, { chunkSize: 4, extendedTimestampOnType3: 'auto' })).toEqual([sent, next]);
    // Here the 4 bytes peeked after the bare c3 are "d4 d5 83 00": data and the next header.
    expect(decodeEveryWay(librtmp, { chunkSize: 4, extendedTimestampOnType3: 'auto' })).toEqual([sent, next]);
  });

  it("'always' decodes the spec style and misreads librtmp 2.4", () => {
    expect(decodeEveryWay(spec, { chunkSize: 4, extendedTimestampOnType3: 'always' })).toEqual([sent, next]);
    // It takes "d4 d5 83 00" as the field, then "00 10" as the last data bytes.
    const misread = decodeParts([firstChunk, librtmp24Continuation, hex`83 00 00 10`], {
      chunkSize: 4,
      extendedTimestampOnType3: 'always',
    });
    expect(misread[0]!.payload).toEqual(hex`d0 d1 d2 d3 00 10`);
  });

  it("'never' decodes librtmp 2.4 and misreads the spec style", () => {
    expect(decodeEveryWay(librtmp, { chunkSize: 4, extendedTimestampOnType3: 'never' })).toEqual([sent, next]);
    // It takes the repeated field "01 02" as the last two data bytes.
    const misread = decodeParts([firstChunk, specContinuation], { chunkSize: 4, extendedTimestampOnType3: 'never' });
    expect(misread[0]!.payload).toEqual(hex`d0 d1 d2 d3 01 02`);
  });

  it("'auto' also accepts the absolute timestamp after a fmt 1/2 header", () => {
    const bytes = hex`
      03 00 00 00 00 00 01 08 01 00 00 00 # fmt 0, csid 3, ts 0, length 1, audio, stream 1
      11                                  # data
      83 ff ff ff 01 00 00 00             # fmt 2, extended delta 0x01000000 (message length still 1)
      22                                  # data
      43 ff ff ff 00 00 05 08 02 00 00 00 # fmt 1, extended delta 0x02000000, length 5
      33 34 35 36                         # first 4 data bytes (chunk size 4)
      c3 03 00 00 00                      # continuation carrying the absolute timestamp 0x03000000
      37                                  # last data byte
    `;
    const decoded = decodeEveryWay(bytes, { chunkSize: 4 });
    expect(decoded.map((m) => m.timestamp)).toEqual([0, 0x01000000, 0x03000000]);
    expect(decoded[2]!.payload).toEqual(hex`33 34 35 36 37`);
  });
});

describe('extended timestamp on fmt 3 new messages', () => {
  // fmt 0 at 0x01000000, then a fmt 3 new message: its delta is the fmt 0 timestamp (spec
  // §5.3.1.2.4), so it lands at 0x02000000.
  const first = hex`
    04 ff ff ff 00 00 02 08 01 00 00 00 # fmt 0, csid 4, marker, length 2, audio, stream 1
    01 00 00 00                         # extended timestamp 0x01000000
    a1 a2                               # data
  `;
  const specNew = hex`
    c4          # fmt 3, csid 4: a new message with the same header
    01 00 00 00 # extended field: the delta in force
    b1 b2       # data
  `;
  const librtmpNew = hex`
    c4          # fmt 3, csid 4, field left out
    b1 b2       # data
  `;
  // 'auto' must see 4 bytes after a bare c4 before it can tell field from data, so a message on
  // another chunk stream follows.
  const trailer = hex`05 00 00 00 00 00 00 12 00 00 00 00  # fmt 0, csid 5, ts 0, empty data message`;
  const expected = [
    { csid: 4, type: 8, streamId: 1, timestamp: 0x01000000, payload: hex`a1 a2` },
    { csid: 4, type: 8, streamId: 1, timestamp: 0x02000000, payload: hex`b1 b2` },
    { csid: 5, type: 18, streamId: 0, timestamp: 0, payload: Buffer.alloc(0) },
  ];

  it('the encoder chooses fmt 3 and writes the field', () => {
    const encoder = new ChunkEncoder();
    const bytes = Buffer.concat(expected.map(({ csid, ...message }) => encoder.encode(message, csid)));
    expect(bytes).toEqual(Buffer.concat([first, specNew, trailer]));
  });

  it.each([
    ['auto', 'spec', specNew],
    ['auto', 'librtmp 2.4', librtmpNew],
    ['always', 'spec', specNew],
    ['never', 'librtmp 2.4', librtmpNew],
  ] as const)("'%s' decodes the %s style", (mode, _style, second) => {
    expect(decodeEveryWay(Buffer.concat([first, second, trailer]), { extendedTimestampOnType3: mode })).toEqual(expected);
  });

  it("'auto' holds a bare fmt 3 message until 4 more bytes tell field from data", () => {
    expect(decodeParts([first, librtmpNew])).toHaveLength(1);
    expect(decodeParts([first, librtmpNew, trailer.subarray(0, 1)])).toHaveLength(1);
    expect(decodeParts([first, librtmpNew, trailer.subarray(0, 2)])).toHaveLength(2);
  });

  it("'always' takes the field on a fmt 3 new message as the delta", () => {
    const bytes = Buffer.concat([first, hex`c4 00 00 00 05 b1 b2  # fmt 3, extended delta 5, data`]);
    const decoded = decodeEveryWay(bytes, { extendedTimestampOnType3: 'always' });
    expect(decoded[1]!.timestamp).toBe(0x01000005);
  });
});
