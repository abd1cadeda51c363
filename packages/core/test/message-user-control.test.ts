import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtmpProtocolError } from '../src/errors/index.js';
import {
  SWF_VERIFICATION_RESPONSE_SIZE,
  UserControlEvent,
  decodeUserControl,
  encodeUserControl,
  userControlEventId,
  type RtmpMessage,
  type UserControlMessage,
} from '../src/message/index.js';
import { hex } from './helpers/hex.js';

function userControl(payload: Buffer): RtmpMessage {
  return { type: 4, streamId: 0, timestamp: 0, payload };
}

describe('UserControlEvent', () => {
  it('numbers the events as the spec and FMS do', () => {
    expect(UserControlEvent).toStrictEqual({
      StreamBegin: 0,
      StreamEof: 1,
      StreamDry: 2,
      SetBufferLength: 3,
      StreamIsRecorded: 4,
      PingRequest: 6,
      PingResponse: 7,
      SwfVerificationRequest: 26,
      SwfVerificationResponse: 27,
      BufferEmpty: 31,
      BufferReady: 32,
    });
  });
});

describe('User Control byte vectors', () => {
  const vectors: Array<[string, Buffer, UserControlMessage]> = [
    ['StreamBegin', hex`00 00  00 00 00 01   # event 0, stream 1`, { kind: 'StreamBegin', streamId: 1 }],
    ['StreamEof', hex`00 01  00 00 00 01   # event 1, stream 1`, { kind: 'StreamEof', streamId: 1 }],
    ['StreamDry', hex`00 02  00 00 00 02   # event 2, stream 2`, { kind: 'StreamDry', streamId: 2 }],
    [
      'SetBufferLength',
      hex`
        00 03         # event 3
        00 00 00 01   # stream 1
        00 00 0b b8   # 3000 ms (ffmpeg's buffer)
      `,
      { kind: 'SetBufferLength', streamId: 1, bufferLength: 3000 },
    ],
    ['StreamIsRecorded', hex`00 04  00 00 00 03   # event 4, stream 3`, { kind: 'StreamIsRecorded', streamId: 3 }],
    ['PingRequest', hex`00 06  00 01 e2 40   # event 6, server time 123456`, { kind: 'PingRequest', timestamp: 123456 }],
    ['PingResponse', hex`00 07  00 01 e2 40   # event 7, echoed 123456`, { kind: 'PingResponse', timestamp: 123456 }],
    ['SwfVerificationRequest without a type', hex`00 1a   # event 26, no data`, { kind: 'SwfVerificationRequest' }],
    ['SwfVerificationRequest with a type', hex`00 1a  01   # event 26, type 1`, { kind: 'SwfVerificationRequest', verificationType: 1 }],
    ['BufferEmpty', hex`00 1f  00 00 00 01   # event 31, stream 1`, { kind: 'BufferEmpty', streamId: 1 }],
    ['BufferReady', hex`00 20  00 00 00 01   # event 32, stream 1`, { kind: 'BufferReady', streamId: 1 }],
    ['an unknown event', hex`00 05  de ad   # event 5 is not defined`, { kind: 'Unknown', event: 5, data: hex`de ad` }],
  ];

  it.each(vectors)('decodes %s', (_name, payload, expected) => {
    expect(decodeUserControl(userControl(payload))).toStrictEqual(expected);
  });

  it.each(vectors)('encodes %s to the same bytes', (_name, payload, control) => {
    expect(encodeUserControl(control)).toStrictEqual(userControl(payload));
  });

  it('decodes the 42-byte SWF verification response as a view', () => {
    const payload = Buffer.concat([hex`00 1b   # event 27`, Buffer.alloc(SWF_VERIFICATION_RESPONSE_SIZE, 0xab)]);
    const decoded = decodeUserControl(userControl(payload));
    expect(decoded.kind).toBe('SwfVerificationResponse');
    const response = decoded.kind === 'SwfVerificationResponse' ? decoded.response : undefined;
    expect(response).toStrictEqual(Buffer.alloc(42, 0xab));
    expect(response?.buffer).toBe(payload.buffer);
    expect(encodeUserControl(decoded).payload).toStrictEqual(payload);
  });

  it('gives the event id of every kind', () => {
    expect(userControlEventId({ kind: 'BufferReady', streamId: 0 })).toBe(32);
    expect(userControlEventId({ kind: 'Unknown', event: 99, data: new Uint8Array() })).toBe(99);
  });

  it('ignores bytes after the event data', () => {
    expect(decodeUserControl(userControl(hex`00 00  00 00 00 01  ff ff   # two stray bytes`))).toStrictEqual({ kind: 'StreamBegin', streamId: 1 });
  });
});

describe('User Control errors', () => {
  it.each([
    ['no event id', hex``],
    ['half an event id', hex`00`],
    ['StreamBegin without its stream id', hex`00 00 00 00 01`],
    ['SetBufferLength without the length', hex`00 03 00 00 00 01`],
    ['PingRequest without its timestamp', hex`00 06`],
    ['a short SWF verification response', Buffer.concat([hex`00 1b`, Buffer.alloc(41)])],
  ])('rejects %s with RtmpProtocolError', (_name, payload) => {
    expect(() => decodeUserControl(userControl(payload))).toThrow(RtmpProtocolError);
  });

  it('rejects a message that is not type 4', () => {
    expect(() => decodeUserControl({ type: 5, streamId: 0, timestamp: 0, payload: hex`00 00 00 00 00 01` })).toThrow(RtmpProtocolError);
  });

  it('refuses to encode a response that is not 42 bytes', () => {
    expect(() => encodeUserControl({ kind: 'SwfVerificationResponse', response: new Uint8Array(10) })).toThrow(RangeError);
  });
});

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const knownEvents = new Set<number>(Object.values(UserControlEvent));

/** Every form a User Control message can take, as the decoder returns it. */
const userControlArbitrary: fc.Arbitrary<UserControlMessage> = fc.oneof<fc.Arbitrary<UserControlMessage>[]>(
  fc
    .tuple(fc.constantFrom('StreamBegin', 'StreamEof', 'StreamDry', 'StreamIsRecorded', 'BufferEmpty', 'BufferReady' as const), u32)
    .map(([kind, streamId]) => ({ kind, streamId })),
  fc.tuple(u32, u32).map(([streamId, bufferLength]) => ({ kind: 'SetBufferLength' as const, streamId, bufferLength })),
  fc.tuple(fc.constantFrom('PingRequest', 'PingResponse' as const), u32).map(([kind, timestamp]) => ({ kind, timestamp })),
  fc.constant({ kind: 'SwfVerificationRequest' as const }),
  fc.integer({ min: 0, max: 255 }).map((verificationType) => ({ kind: 'SwfVerificationRequest' as const, verificationType })),
  fc.uint8Array({ minLength: 42, maxLength: 42 }).map((bytes) => ({ kind: 'SwfVerificationResponse' as const, response: Buffer.from(bytes) })),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }).filter((event) => !knownEvents.has(event)), fc.uint8Array({ maxLength: 16 }))
    .map(([event, data]) => ({ kind: 'Unknown' as const, event, data: Buffer.from(data) })),
);

describe('User Control round trip', () => {
  it('decode(encode(x)) is x for every event', () => {
    fc.assert(
      fc.property(userControlArbitrary, u32, (control, timestamp) => {
        const encoded = encodeUserControl(control, timestamp);
        expect(encoded.type).toBe(4);
        expect(encoded.streamId).toBe(0);
        expect(encoded.timestamp).toBe(timestamp);
        expect(decodeUserControl(encoded)).toStrictEqual(control);
      }),
      { numRuns: 300 },
    );
  });
});
