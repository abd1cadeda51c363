import { describe, expect, it } from 'vitest';
import { CHUNK_DECODER_DEFAULTS, ChunkDecoder, type ChunkDecoderOptions } from '../src/chunk/index.js';
import { LimitExceededError } from '../src/errors/index.js';
import { hex } from './helpers/hex.js';
import { decodeError, decodeErrorEveryWay, decodeEveryWay, decodeParts } from './fixtures/chunk/decode.js';

function expectLimit(error: unknown, limit: string, value: number): void {
  expect(error).toBeInstanceOf(LimitExceededError);
  expect((error as LimitExceededError).limit).toBe(limit);
  expect((error as LimitExceededError).value).toBe(value);
  expect((error as Error).message).toContain(limit);
}

/** A fmt 0 header on `csid` (2..63) for a video message of `length` bytes, ts 0, stream 1. */
function header(csid: number, length: number): Buffer {
  const bytes = hex`00 00 00 00 00 00 00 09 01 00 00 00  # fmt 0, csid (patched), ts 0, length (patched), video, stream 1`;
  bytes[0] = csid;
  bytes.writeUIntBE(length, 4, 3);
  return bytes;
}

describe('decoder limits', () => {
  it('documents its defaults', () => {
    expect(CHUNK_DECODER_DEFAULTS).toEqual({
      chunkSize: 128,
      maxMessageSize: 8 * 1024 * 1024,
      maxChunkSize: 0x7fffffff,
      maxChunkStreams: 64,
      maxPartialMessages: 16,
      maxPartialBytes: 32 * 1024 * 1024,
      extendedTimestampOnType3: 'auto',
      reuseBuffersUpTo: 0,
    });
  });

  it('maxMessageSize: checked on the header, before any data arrives', () => {
    expect(decodeEveryWay(Buffer.concat([header(3, 100), Buffer.alloc(100)]), { maxMessageSize: 100 })).toHaveLength(1);
    expectLimit(decodeErrorEveryWay(header(3, 101), { maxMessageSize: 100 }), 'maxMessageSize', 100);
    // The default: 8 MiB passes the header, one byte more does not.
    expect(decodeParts([header(3, 8 * 1024 * 1024)])).toEqual([]);
    expectLimit(decodeErrorEveryWay(header(3, 8 * 1024 * 1024 + 1)), 'maxMessageSize', 8 * 1024 * 1024);
  });

  it('maxMessageSize: a fmt 1 header that changes the length is checked like a fmt 0 one', () => {
    const bytes = Buffer.concat([header(3, 1), hex`aa`, hex`43 00 00 01 00 00 65 09  # fmt 1, length 101`]);
    expectLimit(decodeErrorEveryWay(bytes, { maxMessageSize: 100 }), 'maxMessageSize', 100);
  });

  it('maxChunkSize: the largest Set Chunk Size accepted', () => {
    const setChunkSize = (size: number) => {
      const bytes = hex`02 00 00 00 00 00 04 01 00 00 00 00  00 00 00 00  # Set Chunk Size (value patched)`;
      bytes.writeUInt32BE(size, 12);
      return bytes;
    };
    expect(decodeEveryWay(setChunkSize(4096), { maxChunkSize: 4096 })).toHaveLength(1);
    expectLimit(decodeErrorEveryWay(setChunkSize(4097), { maxChunkSize: 4096 }), 'maxChunkSize', 4096);
    expect(decodeEveryWay(setChunkSize(0x7fffffff))).toHaveLength(1); // the protocol maximum is accepted by default
    const decoder = new ChunkDecoder({ maxChunkSize: 4096 });
    let error: unknown;
    try {
      decoder.setChunkSize(4097);
    } catch (caught) {
      error = caught;
    }
    expectLimit(error, 'maxChunkSize', 4096);
  });

  it('maxChunkStreams: distinct chunk stream ids with state', () => {
    const three = [3, 4, 5].map((csid) => header(csid, 0));
    expect(decodeEveryWay(Buffer.concat([...three, header(3, 0)]), { maxChunkStreams: 3 })).toHaveLength(4);
    expectLimit(decodeErrorEveryWay(Buffer.concat([...three, header(6, 0)]), { maxChunkStreams: 3 }), 'maxChunkStreams', 3);
  });

  it('maxPartialMessages: messages in flight at once', () => {
    const options: ChunkDecoderOptions = { chunkSize: 1, maxPartialMessages: 2 };
    // Each 2-byte message at chunk size 1 stays in flight after its first chunk.
    const starts = [3, 4, 5].map((csid) => Buffer.concat([header(csid, 2), hex`aa`]));
    expect(decodeParts(starts.slice(0, 2), options)).toEqual([]);
    expectLimit(decodeErrorEveryWay(Buffer.concat(starts), options), 'maxPartialMessages', 2);
    // Finishing one frees its place.
    const finishFirst = hex`c3 bb  # continuation of csid 3`;
    expect(decodeParts([starts[0]!, starts[1]!, finishFirst, starts[2]!], options)).toHaveLength(1);
  });

  it('maxPartialMessages: a single-chunk message split across inputs is in flight too', () => {
    const bytes = Buffer.concat([header(3, 4), hex`01 02 03 04`]);
    expectLimit(decodeError([bytes.subarray(0, 13), bytes.subarray(13)], { maxPartialMessages: 0 }), 'maxPartialMessages', 0);
    expect(decodeParts([bytes], { maxPartialMessages: 0 })).toHaveLength(1); // a view needs no place
  });

  it('maxPartialBytes: bytes held for incomplete messages, all chunk streams together', () => {
    const options: ChunkDecoderOptions = { chunkSize: 1, maxPartialBytes: 100 };
    const first = Buffer.concat([header(3, 60), hex`aa`]);
    const second = Buffer.concat([header(4, 40), hex`bb`]);
    const third = Buffer.concat([header(5, 2), hex`cc`]);
    const decoder = new ChunkDecoder(options);
    decoder.push(Buffer.concat([first, second]), () => {});
    expect(decoder.bufferedBytes).toBe(100);
    expectLimit(decodeErrorEveryWay(Buffer.concat([first, second, third]), options), 'maxPartialBytes', 100);
    expectLimit(decodeErrorEveryWay(Buffer.concat([header(3, 101), hex`aa`]), options), 'maxPartialBytes', 100);
  });

  it('rejects bad option values', () => {
    expect(() => new ChunkDecoder({ maxMessageSize: -1 })).toThrow(RangeError);
    expect(() => new ChunkDecoder({ maxPartialBytes: 1.5 })).toThrow(RangeError);
    expect(() => new ChunkDecoder({ chunkSize: 0 })).toThrow(RangeError);
    expect(() => new ChunkDecoder({ chunkSize: 5000, maxChunkSize: 4096 })).toThrow(RangeError);
    expect(() => new ChunkDecoder({ extendedTimestampOnType3: 'sometimes' as never })).toThrow(TypeError);
  });
});
