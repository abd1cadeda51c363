import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LimitExceededError, RtmpProtocolError } from '../src/errors/index.js';
import {
  DEFAULT_MAX_SHARED_OBJECT_EVENTS,
  SharedObjectEventType,
  decodeSharedObject,
  encodeSharedObject,
  type RtmpMessage,
  type SharedObjectEvent,
  type SharedObjectMessage,
} from '../src/message/index.js';
import { portableAmfValue } from './fixtures/message/amf-arbitraries.js';
import { hex } from './helpers/hex.js';

function so(payload: Buffer, type = 19): RtmpMessage {
  return { type, streamId: 0, timestamp: 0, payload };
}

const header = hex`
  00 04 63 68 61 74          # name "chat" (U16 length, no AMF marker)
  00 00 00 01                # version 1
  00 00 00 02 00 00 00 00    # flags: persistent (2), reserved word 0
`;

const serverEvents = hex`
  04 00 00 00 16             # Change, 22 bytes
  00 03 6d 73 67             #   name "msg"
  02 00 02 68 69             #   AMF0 string "hi"
  00 01 6e                   #   name "n"
  00 40 08 00 00 00 00 00 00 #   AMF0 number 3
  05 00 00 00 05             # Success, 5 bytes
  00 03 6d 73 67             #   name "msg"
  06 00 00 00 11             # SendMessage, 17 bytes
  02 00 05 68 65 6c 6c 6f    #   AMF0 string "hello" (the handler)
  00 3f f0 00 00 00 00 00 00 #   AMF0 number 1
  07 00 00 00 24             # Status, 36 bytes
  00 1b 53 68 61 72 65 64 4f 62 6a 65 63 74 2e 42 61 64 50 65 72 73 69 73 74 65 6e 63 65   # code "SharedObject.BadPersistence"
  00 05 65 72 72 6f 72       #   level "error"
  08 00 00 00 00             # Clear, no data
  09 00 00 00 05             # Remove, 5 bytes
  00 03 6d 73 67             #   name "msg"
  0b 00 00 00 00             # UseSuccess, no data
`;

const serverMessage: SharedObjectMessage = {
  name: 'chat',
  version: 1,
  persistent: true,
  flags: hex`00 00 00 02 00 00 00 00`,
  events: [
    { kind: 'Change', properties: [{ name: 'msg', value: 'hi' }, { name: 'n', value: 3 }] },
    { kind: 'Success', name: 'msg' },
    { kind: 'SendMessage', values: ['hello', 1] },
    { kind: 'Status', code: 'SharedObject.BadPersistence', level: 'error' },
    { kind: 'Clear' },
    { kind: 'Remove', name: 'msg' },
    { kind: 'UseSuccess' },
  ],
};

const clientEvents = hex`
  01 00 00 00 00             # Use
  03 00 00 00 0a             # RequestChange, 10 bytes
  00 03 6d 73 67             #   name "msg"
  02 00 02 68 69             #   AMF0 string "hi"
  0a 00 00 00 05             # RequestRemove, 5 bytes
  00 03 6d 73 67             #   name "msg"
  02 00 00 00 00             # Release
  0c 00 00 00 02 ab cd       # event type 12: unknown, kept raw
`;

const clientMessage: SharedObjectMessage = {
  name: 'chat',
  version: 1,
  persistent: true,
  flags: hex`00 00 00 02 00 00 00 00`,
  events: [
    { kind: 'Use' },
    { kind: 'RequestChange', properties: [{ name: 'msg', value: 'hi' }] },
    { kind: 'RequestRemove', name: 'msg' },
    { kind: 'Release' },
    { kind: 'Unknown', type: 12, data: hex`ab cd` },
  ],
};

describe('shared-object byte vectors (type 19)', () => {
  it('numbers the event types as the spec does', () => {
    expect(Object.values(SharedObjectEventType)).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('decodes the server events', () => {
    expect(decodeSharedObject(so(Buffer.concat([header, serverEvents])))).toStrictEqual(serverMessage);
  });

  it('decodes the client events, keeping unknown types raw', () => {
    expect(decodeSharedObject(so(Buffer.concat([header, clientEvents])))).toStrictEqual(clientMessage);
  });

  it.each([
    ['server', serverMessage, serverEvents],
    ['client', clientMessage, clientEvents],
  ])('encodes the %s events to the same bytes', (_name, message, events) => {
    expect(encodeSharedObject(message)).toStrictEqual(so(Buffer.concat([header, events])));
  });

  it('writes flags from `persistent` when no raw flags are given', () => {
    const { flags: _flags, ...withoutFlags } = clientMessage;
    expect(encodeSharedObject({ ...withoutFlags, persistent: true }).payload.subarray(10, 18)).toStrictEqual(hex`00 00 00 02 00 00 00 00`);
    expect(encodeSharedObject({ ...withoutFlags, persistent: false }).payload.subarray(10, 18)).toStrictEqual(hex`00 00 00 00 00 00 00 00`);
    expect(decodeSharedObject(encodeSharedObject({ ...withoutFlags, persistent: false })).persistent).toBe(false);
  });

  it('decodes a message with no events', () => {
    expect(decodeSharedObject(so(header))).toMatchObject({ name: 'chat', events: [] });
  });

  it('ignores data on events that carry none', () => {
    expect(decodeSharedObject(so(Buffer.concat([header, hex`01 00 00 00 02 ff ff   # Use with 2 stray bytes`]))).events).toStrictEqual([{ kind: 'Use' }]);
  });
});

describe('AMF3 shared objects (type 16)', () => {
  it('skips the format byte and reads switched values', () => {
    const payload = Buffer.concat([
      hex`00   # format byte`,
      header,
      hex`
        04 00 00 00 0e             # Change, 14 bytes
        00 03 6d 73 67             #   name "msg"
        11 0a 0b 01 03 61 04 05 01 #   AVM+ switch, then AMF3 { a: 5 }
      `,
    ]);
    expect(decodeSharedObject(so(payload, 16)).events).toStrictEqual([{ kind: 'Change', properties: [{ name: 'msg', value: { a: 5 } }] }]);
    expect(encodeSharedObject(decodeSharedObject(so(payload, 16)), { amf3: true })).toStrictEqual(so(payload, 16));
  });

  it('rejects an empty type 16 payload', () => {
    expect(() => decodeSharedObject(so(hex``, 16))).toThrow(RtmpProtocolError);
  });
});

describe('shared-object errors', () => {
  it.each<[string, Buffer]>([
    ['an empty payload', hex``],
    ['a cut name', hex`00 04 63 68`],
    ['cut flags', hex`00 00  00 00 00 00  00 00 00`],
    ['an event length past the end', Buffer.concat([header, hex`04 00 00 00 09 00 01 6e`])],
    ['an event header cut short', Buffer.concat([header, hex`04 00 00`])],
    ['a value running past its event', Buffer.concat([header, hex`04 00 00 00 05  00 01 6e  00 40   08 00 00 00 00 00 00`])],
    ['a Status without its level', Buffer.concat([header, hex`07 00 00 00 03 00 01 78`])],
  ])('rejects %s with RtmpProtocolError', (_name, payload) => {
    expect(() => decodeSharedObject(so(payload))).toThrow(RtmpProtocolError);
  });

  it(`stops at maxEvents (default ${DEFAULT_MAX_SHARED_OBJECT_EVENTS})`, () => {
    const clears = (count: number) => Buffer.concat([header, Buffer.concat(Array.from({ length: count }, () => hex`08 00 00 00 00`))]);
    expect(decodeSharedObject(so(clears(DEFAULT_MAX_SHARED_OBJECT_EVENTS))).events).toHaveLength(DEFAULT_MAX_SHARED_OBJECT_EVENTS);
    expect(() => decodeSharedObject(so(clears(DEFAULT_MAX_SHARED_OBJECT_EVENTS + 1)))).toThrow(LimitExceededError);
    expect(() => decodeSharedObject(so(clears(3)), { maxEvents: 2 })).toThrow(expect.objectContaining({ limit: 'maxEvents' }));
  });

  it('counts every AMF value against maxValues', () => {
    const payload = Buffer.concat([header, hex`06 00 00 00 03 05 05 05   # SendMessage: null, null, null`]);
    expect(decodeSharedObject(so(payload), { maxValues: 3 }).events).toStrictEqual([{ kind: 'SendMessage', values: [null, null, null] }]);
    expect(() => decodeSharedObject(so(payload), { maxValues: 2 })).toThrow(expect.objectContaining({ limit: 'maxValues' }));
  });

  it('rejects other message types', () => {
    expect(() => decodeSharedObject(so(header, 20))).toThrow(RtmpProtocolError);
  });
});

const name = fc.string({ unit: 'grapheme', maxLength: 8 });
const event: fc.Arbitrary<SharedObjectEvent> = fc.oneof<fc.Arbitrary<SharedObjectEvent>[]>(
  fc.constantFrom<SharedObjectEvent>({ kind: 'Use' }, { kind: 'Release' }, { kind: 'Clear' }, { kind: 'UseSuccess' }),
  fc
    .tuple(fc.constantFrom('Change', 'RequestChange' as const), fc.array(fc.tuple(name, portableAmfValue), { maxLength: 3 }))
    .map(([kind, pairs]) => ({ kind, properties: pairs.map(([key, value]) => ({ name: key, value })) })),
  fc.tuple(fc.constantFrom('Success', 'Remove', 'RequestRemove' as const), name).map(([kind, key]) => ({ kind, name: key })),
  fc.array(portableAmfValue, { maxLength: 3 }).map((values) => ({ kind: 'SendMessage' as const, values })),
  fc.tuple(name, name).map(([code, level]) => ({ kind: 'Status' as const, code, level })),
  fc
    .tuple(fc.integer({ min: 12, max: 255 }), fc.uint8Array({ maxLength: 8 }))
    .map(([type, data]) => ({ kind: 'Unknown' as const, type, data: Buffer.from(data) })),
);

describe('shared-object round trips', () => {
  it('decode(encode(message)) is the message, AMF0 and AMF3', () => {
    fc.assert(
      fc.property(name, fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), fc.array(event, { maxLength: 6 }), fc.boolean(), (soName, version, persistent, events, amf3) => {
        const message = encodeSharedObject({ name: soName, version, persistent, events }, { amf3 });
        expect(message.type).toBe(amf3 ? 16 : 19);
        const decoded = decodeSharedObject(message);
        expect({ ...decoded, flags: undefined }).toStrictEqual({ name: soName, version, persistent, flags: undefined, events });
      }),
      { numRuns: 200 },
    );
  });
});
