import { describe, expect, it } from 'vitest';
import { ChunkDecoder, ChunkEncoder } from '../src/chunk/index.js';
import { LimitExceededError, RtmpError, RtmpProtocolError } from '../src/errors/index.js';
import { hex } from './helpers/hex.js';
import { decodeError, decodeErrorEveryWay, decodeEveryWay, decodeParts } from './fixtures/chunk/decode.js';

/** A protocol control message on csid 2, stream 0, ts 0, with `payload` as its data. */
function control(type: number, payload: Buffer): Buffer {
  const header = hex`02 00 00 00 000000 00 00 00 00 00  # fmt 0, csid 2, ts 0, length (patched), type (patched), stream 0`;
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = type;
  return Buffer.concat([header, payload]);
}

function expectProtocolError(error: unknown, text: RegExp): void {
  expect(error).toBeInstanceOf(RtmpProtocolError);
  expect((error as Error).message).toMatch(text);
}

describe('Set Chunk Size', () => {
  const setTo4 = hex`
    02          # fmt 0, csid 2
    00 00 00    # timestamp 0
    00 00 04    # length 4
    01          # type 1: Set Chunk Size
    00 00 00 00 # message stream 0
    00 00 00 04 # new chunk size 4
  `;
  const sixBytes = hex`
    03 00 00 05 00 00 06 08 01 00 00 00 # fmt 0, csid 3, ts 5, length 6, audio, stream 1
    a0 a1 a2 a3                         # first chunk: 4 bytes at the new size
    c3 a4 a5                            # continuation: last 2 bytes
  `;

  it('takes effect for the very next chunk, and is passed on', () => {
    const decoded = decodeEveryWay(Buffer.concat([setTo4, sixBytes]));
    expect(decoded).toEqual([
      { csid: 2, type: 1, streamId: 0, timestamp: 0, payload: hex`00 00 00 04` },
      { csid: 3, type: 8, streamId: 1, timestamp: 5, payload: hex`a0 a1 a2 a3 a4 a5` },
    ]);
    const decoder = new ChunkDecoder();
    decoder.push(setTo4, () => {});
    expect(decoder.chunkSize).toBe(4);
  });

  it('applies to the rest of a message already in flight on another chunk stream', () => {
    const bytes = Buffer.concat([
      hex`04 00 00 00 00 00 0a 09 01 00 00 00  # fmt 0, csid 4, ts 0, length 10, video, stream 1`,
      hex`b0 b1 b2 b3 b4 b5 b6 b7              # first 8 bytes at chunk size 8`,
      control(1, hex`00 00 00 01               # chunk size 1 from now on`),
      hex`c4 b8  c4 b9                         # the last 2 bytes now come 1 per chunk`,
    ]);
    const decoded = decodeEveryWay(bytes, { chunkSize: 8 });
    expect(decoded.map((m) => m.type)).toEqual([1, 9]);
    expect(decoded[1]!.payload).toEqual(hex`b0 b1 b2 b3 b4 b5 b6 b7 b8 b9`);
  });

  it('rejects size 0, the top bit, and a payload that is not 4 bytes', () => {
    expectProtocolError(decodeErrorEveryWay(control(1, hex`00 00 00 00`)), /Set Chunk Size of 0/);
    expectProtocolError(decodeErrorEveryWay(control(1, hex`80 00 00 10`)), /top bit/);
    expectProtocolError(decodeErrorEveryWay(control(1, hex`00 00 10`)), /Set Chunk Size message has a 3-byte payload/);
    expectProtocolError(decodeErrorEveryWay(control(1, hex`00 00 10 00 00`)), /5-byte payload, expected 4/);
  });

  it('setChunkSize() changes the size from outside and checks it', () => {
    const decoder = new ChunkDecoder();
    decoder.setChunkSize(4);
    const out: number[] = [];
    decoder.push(sixBytes, (m) => out.push(m.payload.length));
    expect(out).toEqual([6]);
    expect(() => decoder.setChunkSize(0)).toThrow(RangeError);
    expect(() => decoder.setChunkSize(1.5)).toThrow(RangeError);
  });
});

describe('Abort', () => {
  const partial = hex`
    04 00 00 00 00 00 08 09 01 00 00 00 # fmt 0, csid 4, ts 0, length 8, video, stream 1
    b0 b1 b2 b3                         # first 4 of 8 bytes (chunk size 4)
  `;
  const abort4 = control(2, hex`00 00 00 04  # abort chunk stream 4`);
  const fresh = hex`
    c4          # fmt 3, csid 4: nothing in flight any more, so a new message (delta 0)
    c0 c1 c2 c3 # 4 of 8
    c4          # continuation
    c4 c5 c6 c7 # 8 of 8
  `;

  it("drops that chunk stream's partial message; the next chunk starts a new one", () => {
    const decoded = decodeEveryWay(Buffer.concat([partial, abort4, fresh]), { chunkSize: 4 });
    expect(decoded).toEqual([
      { csid: 2, type: 2, streamId: 0, timestamp: 0, payload: hex`00 00 00 04` },
      { csid: 4, type: 9, streamId: 1, timestamp: 0, payload: hex`c0 c1 c2 c3 c4 c5 c6 c7` },
    ]);
  });

  it('releases the bytes it held', () => {
    const decoder = new ChunkDecoder({ chunkSize: 4 });
    decoder.push(partial, () => {});
    expect(decoder.bufferedBytes).toBe(8);
    decoder.push(abort4, () => {});
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('of a chunk stream with nothing in flight, or never seen, does nothing', () => {
    const decoded = decodeEveryWay(Buffer.concat([control(2, hex`00 00 00 09`), control(2, hex`00 00 00 02`)]));
    expect(decoded.map((m) => m.type)).toEqual([2, 2]);
  });

  it('rejects a payload that is not 4 bytes', () => {
    expectProtocolError(decodeErrorEveryWay(control(2, hex`00 04`)), /Abort message has a 2-byte payload/);
  });
});

describe('other control payload sizes', () => {
  it('Acknowledgement and Window Acknowledgement Size must be 4 bytes', () => {
    expect(decodeEveryWay(control(3, hex`00 01 00 00`))[0]!.type).toBe(3);
    expect(decodeEveryWay(control(5, hex`00 26 25 a0`))[0]!.type).toBe(5);
    expectProtocolError(decodeErrorEveryWay(control(3, hex`00 01 00`)), /Acknowledgement message has a 3-byte payload/);
    expectProtocolError(decodeErrorEveryWay(control(5, hex``)), /Window Acknowledgement Size message has a 0-byte payload/);
  });

  it('other control types pass through whatever their length (the message layer checks them)', () => {
    expect(decodeEveryWay(control(4, hex`00 06 00 00 00 01 ff`))[0]!.payload).toHaveLength(7);
    expect(decodeEveryWay(control(6, hex`00 26 25 a0 02`))[0]!.payload).toHaveLength(5);
  });
});

describe('protocol errors', () => {
  it.each([
    [2, hex`83 00 00 00              # fmt 2, csid 3, never seen`],
    [3, hex`c3                       # fmt 3, csid 3, never seen`],
  ])('fmt %i on a chunk stream that never had a fmt 0 or 1 header', (fmt, bytes) => {
    expectProtocolError(decodeErrorEveryWay(bytes), new RegExp(`chunk stream 3: a fmt ${fmt} header arrived before any fmt 0 or 1`));
  });

  it('fmt 1 may start a chunk stream (as rtmpsrv does): stream id 0, the delta is the timestamp', () => {
    const messages = decodeEveryWay(hex`
      43             # fmt 1, csid 3, never seen
      00 00 05       # timestamp delta 5
      00 00 02       # length 2
      14             # type 20 (command)
      aa bb          # payload
      83 00 00 03    # fmt 2, csid 3: delta 3
      cc dd          # payload of the next message (same length and type)
    `);
    expect(messages.map((m) => [m.type, m.streamId, m.timestamp, m.payload.toString('hex')])).toEqual([
      [20, 0, 5, 'aabb'],
      [20, 0, 8, 'ccdd'],
    ]);
  });

  const started = hex`
    03 00 00 00 00 00 08 09 01 00 00 00 # fmt 0, csid 3, length 8, video, stream 1
    a0 a1 a2 a3                         # 4 of 8 (chunk size 4)
  `;

  it('a message length that changes in the middle of a message', () => {
    const changed = hex`43 00 00 00 00 00 09 09  # fmt 1, csid 3, length 9 while 8 is in flight`;
    expectProtocolError(decodeErrorEveryWay(Buffer.concat([started, changed]), { chunkSize: 4 }), /length changed from 8 to 9 in the middle/);
  });

  it('a full header that restates the message in flight is read as a continuation', () => {
    const restated = hex`
      03 00 00 00 00 00 08 09 01 00 00 00 # fmt 0 restating the same length
      a4 a5 a6 a7                         # 8 of 8
    `;
    const decoded = decodeEveryWay(Buffer.concat([started, restated]), { chunkSize: 4 });
    expect(decoded).toEqual([{ csid: 3, type: 9, streamId: 1, timestamp: 0, payload: hex`a0 a1 a2 a3 a4 a5 a6 a7` }]);
  });

  it('after an error the decoder refuses all input with the same error', () => {
    const decoder = new ChunkDecoder();
    let first: unknown;
    try {
      decoder.push(hex`c3`, () => {});
    } catch (error) {
      first = error;
    }
    expect(RtmpError.isInstance(first)).toBe(true);
    expect(() => decoder.push(hex`03 00 00 00 00 00 00 08 00 00 00 00`, () => {})).toThrow(first as Error);
    let again: unknown;
    try {
      decoder.push(new Uint8Array(0), () => {});
    } catch (error) {
      again = error;
    }
    expect(again).toBe(first);
  });

  it('an error thrown by onMessage also stops the decoder (the rest of that input is lost)', () => {
    const decoder = new ChunkDecoder();
    const boom = new Error('listener failed');
    const empty = hex`03 00 00 00 00 00 00 08 00 00 00 00  # fmt 0, csid 3, empty audio message`;
    expect(() => decoder.push(empty, () => { throw boom; })).toThrow(boom);
    expect(() => decoder.push(empty, () => {})).toThrow(boom);
  });

  it('push from inside onMessage is refused', () => {
    const decoder = new ChunkDecoder();
    const empty = hex`03 00 00 00 00 00 00 08 00 00 00 00`;
    expect(() => decoder.push(empty, () => decoder.push(empty, () => {}))).toThrow(/inside its own onMessage/);
  });

  it('accepts a plain Uint8Array as input', () => {
    const bytes = new Uint8Array(hex`03 00 00 01 00 00 01 08 00 00 00 00 7f`);
    expect(decodeParts([bytes])[0]!.payload).toEqual(hex`7f`);
  });
});

describe('zero-length messages', () => {
  it('complete on their header alone', () => {
    const bytes = hex`
      03 00 00 09 00 00 00 12 01 00 00 00 # fmt 0, csid 3, ts 9, length 0, data, stream 1
      c3                                  # fmt 3: another empty message, 9 ms later
    `;
    const decoded = decodeEveryWay(bytes);
    expect(decoded.map((m) => [m.timestamp, m.payload.length])).toEqual([
      [9, 0],
      [18, 0],
    ]);
  });
});

it('limit errors are LimitExceededError, protocol errors RtmpProtocolError, both RtmpError', () => {
  const limit = decodeError([hex`03 00 00 00 00 00 09 08 00 00 00 00`], { maxMessageSize: 8 });
  expect(limit).toBeInstanceOf(LimitExceededError);
  expect(RtmpError.isInstance(limit)).toBe(true);
});

describe('hasPartialInput', () => {
  it('is true from the first byte of a chunk until its message completes', () => {
    const bytes = new ChunkEncoder({ chunkSize: 128 }).encode({ type: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(300, 7) }, 6);
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = new ChunkDecoder();
      decoder.push(bytes.subarray(0, cut), () => {});
      expect(decoder.hasPartialInput, `cut at ${cut}`).toBe(true);
    }
    const decoder = new ChunkDecoder();
    expect(decoder.hasPartialInput).toBe(false);
    decoder.push(bytes, () => {});
    expect(decoder.hasPartialInput).toBe(false);
  });
});
