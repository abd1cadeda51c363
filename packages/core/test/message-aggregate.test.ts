import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../src/bytes/index.js';
import { LimitExceededError, RtmpProtocolError, TruncatedInputError } from '../src/errors/index.js';
import {
  AudioFourCc,
  DEFAULT_MAX_AGGREGATE_MESSAGES,
  FLV_TAG_HEADER_SIZE,
  VideoFourCc,
  buildAggregate,
  fourCcFromNumber,
  fourCcToNumber,
  readFlvTagHeader,
  splitAggregate,
  writeFlvTagHeader,
  type FlvTagHeader,
  type RtmpMessage,
} from '../src/message/index.js';
import { hex } from './helpers/hex.js';

describe('FourCC', () => {
  it('turns FourCCs into big-endian UI32s and back', () => {
    expect(fourCcToNumber('av01')).toBe(0x61763031);
    expect(fourCcToNumber('av01')).toBe(1635135537);
    expect(fourCcToNumber('Opus')).toBe(1332770163);
    expect(fourCcFromNumber(0x68766331)).toBe('hvc1');
  });

  it('keeps the exact case of the constants', () => {
    expect(Object.values(VideoFourCc)).toStrictEqual(['avc1', 'hvc1', 'vvc1', 'av01', 'vp09', 'vp08']);
    expect(Object.values(AudioFourCc)).toStrictEqual(['mp4a', 'Opus', 'fLaC', 'ac-3', 'ec-3', '.mp3']);
    expect(fourCcToNumber('fLaC')).not.toBe(fourCcToNumber('flac'));
  });

  it('round-trips any UI32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        expect(fourCcToNumber(fourCcFromNumber(value))).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses strings that are not four single-byte characters', () => {
    expect(() => fourCcToNumber('av1')).toThrow(RangeError);
    expect(() => fourCcToNumber('av01x')).toThrow(RangeError);
    expect(() => fourCcToNumber('av0\u0100')).toThrow(RangeError);
  });
});

describe('FLV tag header', () => {
  const bytes = hex`
    09          # reserved 0, filter 0, TagType 9 (video)
    00 01 2c    # DataSize 300
    00 00 10    # Timestamp low 24 bits: 0x000010
    01          # TimestampExtended: bits 31..24 = 0x01
    00 00 00    # StreamID 0
  `;
  const header: FlvTagHeader = { tagType: 9, filter: false, dataSize: 300, timestamp: 0x01000010, streamId: 0 };

  it('reads the 11 bytes, the extension byte as the top of the timestamp', () => {
    const reader = new ByteReader(bytes);
    expect(readFlvTagHeader(reader)).toStrictEqual(header);
    expect(reader.offset).toBe(FLV_TAG_HEADER_SIZE);
  });

  it('writes the same 11 bytes', () => {
    const writer = new ByteWriter(16);
    writeFlvTagHeader(writer, header);
    expect(writer.finish()).toStrictEqual(bytes);
  });

  it('reads the filter bit and ignores the reserved bits', () => {
    expect(readFlvTagHeader(new ByteReader(hex`e8 00 00 00 00 00 00 00 00 00 00`))).toMatchObject({ tagType: 8, filter: true });
  });

  it('throws TruncatedInputError for fewer than 11 bytes', () => {
    expect(() => readFlvTagHeader(new ByteReader(bytes.subarray(0, 10)))).toThrow(TruncatedInputError);
  });

  it('round-trips any header', () => {
    const headers = fc.record(
      { tagType: fc.integer({ min: 0, max: 31 }), filter: fc.boolean(), dataSize: fc.integer({ min: 0, max: 0xffffff }), timestamp: fc.integer({ min: 0, max: 0xffffffff }), streamId: fc.integer({ min: 0, max: 0xffffff }) },
      { noNullPrototype: true },
    );
    fc.assert(
      fc.property(headers, (original) => {
        const writer = new ByteWriter(16);
        writeFlvTagHeader(writer, original);
        expect(readFlvTagHeader(new ByteReader(writer.finish()))).toStrictEqual(original);
      }),
      { numRuns: 200 },
    );
  });
});

function aggregate(payload: Buffer, timestamp = 1000, streamId = 1): RtmpMessage {
  return { type: 22, streamId, timestamp, payload };
}

const threeTags = hex`
  08 00 00 04 00 01 f4 00 00 00 00   # audio, 4 bytes, ts 500, stream 0
  af 01 aa bb                        # AAC raw frame
  00 00 00 0f                        # back pointer 11 + 4
  09 00 00 06 00 02 08 00 00 00 00   # video, 6 bytes, ts 520
  27 01 00 00 00 cc                  # AVC inter frame
  00 00 00 11                        # back pointer 11 + 6
  08 00 00 03 00 02 1c 00 00 00 07   # audio, 3 bytes, ts 540, inner stream 7 (ignored)
  af 01 dd                           # AAC raw frame
  00 00 00 0e                        # back pointer 11 + 3
`;

describe('splitAggregate', () => {
  it('splits three inner tags, moving their timestamps by outer - first inner and using the outer stream id', () => {
    const outer = aggregate(threeTags, 1000, 1);
    const inner = splitAggregate(outer);
    expect(inner).toStrictEqual([
      { type: 8, streamId: 1, timestamp: 1000, payload: hex`af 01 aa bb` },
      { type: 9, streamId: 1, timestamp: 1020, payload: hex`27 01 00 00 00 cc` },
      { type: 8, streamId: 1, timestamp: 1040, payload: hex`af 01 dd` },
    ]);
    expect(inner.every((message) => message.payload.buffer === threeTags.buffer)).toBe(true);
  });

  it('wraps timestamps at 32 bits', () => {
    const payload = hex`
      08 00 00 01 ff ff f0 ff 00 00 00  01  00 00 00 0c   # audio ts 0xFFFFFFF0
      08 00 00 01 ff ff f5 ff 00 00 00  02  00 00 00 0c   # audio ts 0xFFFFFFF5
    `;
    expect(splitAggregate(aggregate(payload, 10)).map((message) => message.timestamp)).toStrictEqual([10, 15]);
  });

  it('gives nothing for an empty aggregate', () => {
    expect(splitAggregate(aggregate(Buffer.alloc(0)))).toStrictEqual([]);
  });

  it.each<[string, Buffer]>([
    ['a bad back pointer', hex`08 00 00 01 00 00 00 00 00 00 00  01  00 00 00 0b`],
    ['a size past the end', hex`08 00 00 09 00 00 00 00 00 00 00  01  00 00 00 14`],
    ['a missing back pointer', hex`08 00 00 01 00 00 00 00 00 00 00  01`],
    ['a header cut short', hex`08 00 00 01 00 00`],
    ['a nested aggregate', hex`16 00 00 00 00 00 00 00 00 00 00  00 00 00 0b`],
  ])('rejects %s with RtmpProtocolError', (_name, payload) => {
    expect(() => splitAggregate(aggregate(payload))).toThrow(RtmpProtocolError);
  });

  it(`stops at maxMessages (default ${DEFAULT_MAX_AGGREGATE_MESSAGES})`, () => {
    const many = (count: number) => buildAggregate(Array.from({ length: count }, (_, i) => ({ type: 8, streamId: 1, timestamp: i, payload: Buffer.alloc(0) })));
    expect(splitAggregate(many(DEFAULT_MAX_AGGREGATE_MESSAGES))).toHaveLength(DEFAULT_MAX_AGGREGATE_MESSAGES);
    expect(() => splitAggregate(many(DEFAULT_MAX_AGGREGATE_MESSAGES + 1))).toThrow(LimitExceededError);
    expect(() => splitAggregate(many(3), { maxMessages: 2 })).toThrow(expect.objectContaining({ limit: 'maxMessages', value: 2 }));
  });

  it('rejects a message that is not type 22', () => {
    expect(() => splitAggregate({ type: 9, streamId: 1, timestamp: 0, payload: threeTags })).toThrow(RtmpProtocolError);
  });
});

describe('buildAggregate', () => {
  it('writes FLV tags with back pointers, inner stream id 0', () => {
    const inner = splitAggregate(aggregate(threeTags, 500, 1));
    const built = buildAggregate(inner);
    expect(built).toMatchObject({ type: 22, streamId: 1, timestamp: 500 });
    // Same bytes except the third tag's inner stream id (7 in the fixture, 0 when we write).
    const expected = Buffer.from(threeTags);
    expected.writeUIntBE(0, 19 + 21 + 8, 3); // tags of 19 and 21 bytes, then 8 bytes into the third header
    expect(built.payload).toStrictEqual(expected);
  });

  it('refuses an empty list and nested aggregates', () => {
    expect(() => buildAggregate([])).toThrow(RangeError);
    expect(() => buildAggregate([{ type: 22, streamId: 0, timestamp: 0, payload: Buffer.alloc(0) }])).toThrow(RangeError);
  });

  it('splitAggregate(buildAggregate(messages)) gives the messages back', () => {
    const inner = fc.record(
      { type: fc.constantFrom(8, 9, 18, 15, 20), timestamp: fc.integer({ min: 0, max: 0xffffffff }), payload: fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)) },
      { noNullPrototype: true },
    );
    fc.assert(
      fc.property(fc.array(inner, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 0xffffff }), (messages, streamId) => {
        const withStream = messages.map((message) => ({ ...message, streamId }));
        expect(splitAggregate(buildAggregate(withStream))).toStrictEqual(withStream);
      }),
      { numRuns: 200 },
    );
  });

  it('moves inner timestamps when the outer timestamp is given', () => {
    const built = buildAggregate([{ type: 8, streamId: 1, timestamp: 100, payload: hex`af 01` }], { timestamp: 4000, streamId: 3 });
    expect(splitAggregate(built)).toStrictEqual([{ type: 8, streamId: 3, timestamp: 4000, payload: hex`af 01` }]);
  });
});
