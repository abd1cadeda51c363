import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtmpProtocolError } from '../src/errors/index.js';
import {
  SET_CHUNK_SIZE_MAX,
  MessageType,
  PeerBandwidthLimitType,
  decodeAbort,
  decodeAcknowledgement,
  decodeSetChunkSize,
  decodeSetPeerBandwidth,
  decodeWindowAcknowledgementSize,
  encodeAbort,
  encodeAcknowledgement,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeWindowAcknowledgementSize,
  isProtocolControlType,
  messageTypeName,
  peerBandwidthLimitKind,
  type RtmpMessage,
} from '../src/message/index.js';
import { hex } from './helpers/hex.js';

function message(type: number, payload: Buffer, streamId = 0): RtmpMessage {
  return { type, streamId, timestamp: 0, payload };
}

describe('MessageType', () => {
  it('numbers the message types as the RTMP spec does', () => {
    expect(MessageType).toStrictEqual({
      SetChunkSize: 1,
      Abort: 2,
      Acknowledgement: 3,
      UserControl: 4,
      WindowAcknowledgementSize: 5,
      SetPeerBandwidth: 6,
      Audio: 8,
      Video: 9,
      DataAmf3: 15,
      SharedObjectAmf3: 16,
      CommandAmf3: 17,
      DataAmf0: 18,
      SharedObjectAmf0: 19,
      CommandAmf0: 20,
      Aggregate: 22,
    });
  });

  it('names a type id, and says undefined for ids RTMP does not define', () => {
    expect(messageTypeName(9)).toBe('Video');
    expect(messageTypeName(22)).toBe('Aggregate');
    expect(messageTypeName(7)).toBeUndefined();
    expect(messageTypeName(0)).toBeUndefined();
  });

  it('tells protocol control types (1, 2, 3, 5, 6) from the rest', () => {
    const control = Array.from({ length: 32 }, (_, type) => type).filter(isProtocolControlType);
    expect(control).toStrictEqual([1, 2, 3, 5, 6]);
  });
});

describe('Set Chunk Size (type 1)', () => {
  it('encodes the size as a 4-byte big-endian number on stream 0', () => {
    expect(encodeSetChunkSize(4096)).toStrictEqual({
      type: 1,
      streamId: 0,
      timestamp: 0,
      payload: hex`00 00 10 00   # chunk size 4096`,
    });
  });

  it('decodes the largest 31-bit size', () => {
    expect(decodeSetChunkSize(message(1, hex`7f ff ff ff   # top bit clear: 0x7FFFFFFF`))).toBe(SET_CHUNK_SIZE_MAX);
  });

  it('rejects a set top bit', () => {
    expect(() => decodeSetChunkSize(message(1, hex`80 00 00 80   # top bit set`))).toThrow(RtmpProtocolError);
  });

  it('rejects a size of 0', () => {
    expect(() => decodeSetChunkSize(message(1, hex`00 00 00 00`))).toThrow(/at least 1/);
  });

  it.each([0, 3, 5])('rejects a %i-byte payload', (length) => {
    expect(() => decodeSetChunkSize(message(1, Buffer.alloc(length, 1)))).toThrow(RtmpProtocolError);
  });

  it('refuses to encode sizes outside 1..0x7FFFFFFF', () => {
    expect(() => encodeSetChunkSize(0)).toThrow(RangeError);
    expect(() => encodeSetChunkSize(0x80000000)).toThrow(RangeError);
    expect(() => encodeSetChunkSize(1.5)).toThrow(RangeError);
  });

  it('round-trips every valid size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: SET_CHUNK_SIZE_MAX }), fc.nat(), (size, timestamp) => {
        const encoded = encodeSetChunkSize(size, timestamp);
        expect(encoded.timestamp).toBe(timestamp);
        expect(decodeSetChunkSize(encoded)).toBe(size);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Abort, Acknowledgement, Window Acknowledgement Size (types 2, 3, 5)', () => {
  const codecs = [
    { name: 'Abort', type: 2, encode: encodeAbort, decode: decodeAbort },
    { name: 'Acknowledgement', type: 3, encode: encodeAcknowledgement, decode: decodeAcknowledgement },
    { name: 'Window Acknowledgement Size', type: 5, encode: encodeWindowAcknowledgementSize, decode: decodeWindowAcknowledgementSize },
  ];

  it.each(codecs)('$name carries one big-endian UI32', ({ type, encode, decode }) => {
    const encoded = encode(5_000_000);
    expect(encoded.type).toBe(type);
    expect(encoded.streamId).toBe(0);
    expect(encoded.payload).toStrictEqual(hex`00 4c 4b 40   # 5,000,000`);
    expect(decode(message(type, hex`ff ff ff ff   # the whole 32-bit range`))).toBe(0xffffffff);
  });

  it.each(codecs)('$name rejects payloads that are not 4 bytes', ({ type, decode }) => {
    expect(() => decode(message(type, hex`00 00 01`))).toThrow(RtmpProtocolError);
    expect(() => decode(message(type, hex`00 00 00 01 00`))).toThrow(RtmpProtocolError);
  });

  it.each(codecs)('$name rejects a message of another type', ({ decode }) => {
    expect(() => decode(message(MessageType.Video, hex`00 00 00 01`))).toThrow(/must be message type/);
  });

  it.each(codecs)('$name round-trips any UI32', ({ encode, decode }) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        expect(decode(encode(value))).toBe(value);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses to encode values outside UI32', () => {
    expect(() => encodeAcknowledgement(-1)).toThrow(RangeError);
    expect(() => encodeWindowAcknowledgementSize(2 ** 32)).toThrow(RangeError);
  });
});

describe('Set Peer Bandwidth (type 6)', () => {
  it('encodes window then limit type (nginx after connect: 5,000,000 dynamic)', () => {
    const encoded = encodeSetPeerBandwidth({ windowSize: 5_000_000, limitType: PeerBandwidthLimitType.Dynamic });
    expect(encoded.type).toBe(6);
    expect(encoded.payload).toStrictEqual(hex`
      00 4c 4b 40   # window 5,000,000
      02            # limit type 2: dynamic
    `);
  });

  it('decodes the raw limit type', () => {
    expect(decodeSetPeerBandwidth(message(6, hex`00 26 25 a0  01`))).toStrictEqual({ windowSize: 2_500_000, limitType: 1 });
  });

  it('rejects payloads that are not 5 bytes', () => {
    expect(() => decodeSetPeerBandwidth(message(6, hex`00 26 25 a0`))).toThrow(RtmpProtocolError);
    expect(() => decodeSetPeerBandwidth(message(6, hex`00 26 25 a0 01 00`))).toThrow(RtmpProtocolError);
  });

  it('reads limit types the spec way: 0 hard, 1 soft, 2 dynamic', () => {
    expect([0, 1, 2, 3, 255].map((type) => peerBandwidthLimitKind(type))).toStrictEqual(['hard', 'soft', 'dynamic', 'unknown', 'unknown']);
  });

  it("reads limit types nginx's way: 0 soft, 1 hard (swapped), 2 dynamic", () => {
    expect([0, 1, 2, 3].map((type) => peerBandwidthLimitKind(type, 'nginx'))).toStrictEqual(['soft', 'hard', 'dynamic', 'unknown']);
  });

  it('round-trips any window and limit byte', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 255 }), (windowSize, limitType) => {
        expect(decodeSetPeerBandwidth(encodeSetPeerBandwidth({ windowSize, limitType }))).toStrictEqual({ windowSize, limitType });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a limit type that is not one byte', () => {
    expect(() => encodeSetPeerBandwidth({ windowSize: 1, limitType: 256 })).toThrow(RangeError);
  });
});
