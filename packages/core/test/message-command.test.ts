import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecmaArray, type AmfValue } from '../src/amf/amf-value.js';
import { AmfDecodeError, LimitExceededError, RtmpProtocolError } from '../src/errors/index.js';
import {
  DEFAULT_MAX_AMF_VALUES,
  decodeCommand,
  encodeCommand,
  isCommandMessage,
  type RtmpCommand,
  type RtmpMessage,
} from '../src/message/index.js';
import { amf0Tree } from './fixtures/amf0/amf0-arbitraries.js';
import { assertSameGraph } from './fixtures/amf0/same-graph.js';
import { commandName, portableAmfValue } from './fixtures/message/amf-arbitraries.js';
import { hex } from './helpers/hex.js';

function command(payload: Buffer, type = 20, streamId = 0): RtmpMessage {
  return { type, streamId, timestamp: 0, payload };
}

const connectPayload = hex`
  02 00 07 63 6f 6e 6e 65 63 74         # string "connect"
  00 3f f0 00 00 00 00 00 00            # transaction id: number 1
  03                                    # command object: object {
  00 03 61 70 70                        #   key "app"
  02 00 04 6c 69 76 65                  #   string "live"
  00 05 74 63 55 72 6c                  #   key "tcUrl"
  02 00 1a 72 74 6d 70 3a 2f 2f 6c 6f   #   string "rtmp://localhost:1935/live"
  63 61 6c 68 6f 73 74 3a 31 39 33 35
  2f 6c 69 76 65
  00 0e 6f 62 6a 65 63 74 45 6e 63 6f   #   key "objectEncoding"
  64 69 6e 67
  00 00 00 00 00 00 00 00 00            #   number 0
  00 00 09                              # }
`;

const connectCommand: RtmpCommand = {
  name: 'connect',
  transactionId: 1,
  commandObject: { app: 'live', tcUrl: 'rtmp://localhost:1935/live', objectEncoding: 0 },
  args: [],
};

const resultPayload = hex`
  02 00 07 5f 72 65 73 75 6c 74         # string "_result"
  00 3f f0 00 00 00 00 00 00            # transaction id 1 (the connect's)
  03                                    # properties object {
  00 06 66 6d 73 56 65 72               #   key "fmsVer"
  02 00 0d 46 4d 53 2f 33 2c 30 2c 31   #   string "FMS/3,0,1,123"
  2c 31 32 33
  00 0c 63 61 70 61 62 69 6c 69 74 69   #   key "capabilities"
  65 73
  00 40 3f 00 00 00 00 00 00            #   number 31
  00 00 09                              # }
  03                                    # information object {
  00 05 6c 65 76 65 6c                  #   key "level"
  02 00 06 73 74 61 74 75 73            #   string "status"
  00 04 63 6f 64 65                     #   key "code"
  02 00 1d 4e 65 74 43 6f 6e 6e 65 63   #   string "NetConnection.Connect.Success"
  74 69 6f 6e 2e 43 6f 6e 6e 65 63 74
  2e 53 75 63 63 65 73 73
  00 00 09                              # }
`;

const onStatusPayload = hex`
  02 00 08 6f 6e 53 74 61 74 75 73      # string "onStatus"
  00 00 00 00 00 00 00 00 00            # transaction id 0: no reply expected
  05                                    # command object: null
  03                                    # info object {
  00 05 6c 65 76 65 6c                  #   key "level"
  02 00 06 73 74 61 74 75 73            #   string "status"
  00 04 63 6f 64 65                     #   key "code"
  02 00 17 4e 65 74 53 74 72 65 61 6d   #   string "NetStream.Publish.Start"
  2e 50 75 62 6c 69 73 68 2e 53 74 61
  72 74
  00 0b 64 65 73 63 72 69 70 74 69 6f   #   key "description"
  6e
  02 00 10 53 74 61 72 74 20 70 75 62   #   string "Start publishing"
  6c 69 73 68 69 6e 67
  00 00 09                              # }
`;

describe('command byte vectors (type 20)', () => {
  it('decodes connect', () => {
    expect(decodeCommand(command(connectPayload))).toStrictEqual(connectCommand);
  });

  it('encodes connect to the same bytes', () => {
    expect(encodeCommand(connectCommand, { streamId: 0 })).toStrictEqual(command(connectPayload));
  });

  it('decodes the connect _result: properties as the command object, information as an argument', () => {
    expect(decodeCommand(command(resultPayload))).toStrictEqual({
      name: '_result',
      transactionId: 1,
      commandObject: { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
      args: [{ level: 'status', code: 'NetConnection.Connect.Success' }],
    });
  });

  it('decodes onStatus with a null command object, and encodes it back on the stream', () => {
    const decoded = decodeCommand(command(onStatusPayload, 20, 1));
    expect(decoded).toStrictEqual({
      name: 'onStatus',
      transactionId: 0,
      commandObject: null,
      args: [{ level: 'status', code: 'NetStream.Publish.Start', description: 'Start publishing' }],
    });
    expect(encodeCommand(decoded, { streamId: 1, timestamp: 7 })).toStrictEqual({ type: 20, streamId: 1, timestamp: 7, payload: onStatusPayload });
  });

  it('takes a command that stops after its transaction id as having a null command object', () => {
    const payload = hex`
      02 00 08 6f 6e 42 57 44 6f 6e 65   # string "onBWDone"
      00 00 00 00 00 00 00 00 00         # transaction id 0
    `;
    expect(decodeCommand(command(payload))).toStrictEqual({ name: 'onBWDone', transactionId: 0, commandObject: null, args: [] });
  });

  it('recognises command messages by type', () => {
    expect([17, 18, 20].map((type) => isCommandMessage(command(Buffer.alloc(0), type)))).toStrictEqual([true, false, true]);
  });
});

describe('AMF3 commands (type 17)', () => {
  it('skips the format byte and reads 0x11-switched values', () => {
    const payload = hex`
      00                                # format byte
      02 00 04 63 61 6c 6c              # AMF0 string "call"
      00 40 00 00 00 00 00 00 00        # AMF0 number 2
      05                                # AMF0 null command object
      11 0a 0b 01 03 61 04 05 01        # AVM+ switch: AMF3 dynamic object { a: 5 }
      11 06 05 68 69                    # AVM+ switch: AMF3 string "hi"
      02 00 01 78                       # AMF0 string "x" again
    `;
    expect(decodeCommand(command(payload, 17))).toStrictEqual({ name: 'call', transactionId: 2, commandObject: null, args: [{ a: 5 }, 'hi', 'x'] });
  });

  it('accepts a name sent as an AMF3 string', () => {
    const payload = hex`
      00                          # format byte
      11 06 09 70 6c 61 79        # AVM+ switch: AMF3 string "play"
      11 04 00                    # AVM+ switch: AMF3 integer 0
      05                          # null
    `;
    expect(decodeCommand(command(payload, 17))).toMatchObject({ name: 'play', transactionId: 0 });
  });

  it('writes type 17 with a format byte, name and id in AMF0, objects behind the switch', () => {
    const message = encodeCommand({ name: 'call', transactionId: 2, commandObject: null, args: [{ a: 5 }] }, { streamId: 0, amf3: true });
    expect(message.type).toBe(17);
    expect(message.payload).toStrictEqual(hex`
      00                          # format byte
      02 00 04 63 61 6c 6c        # AMF0 string "call"
      00 40 00 00 00 00 00 00 00  # AMF0 number 2
      05                          # AMF0 null
      11 0a 0b 01 03 61 04 05 01  # AVM+ switch: AMF3 { a: 5 }
    `);
  });

  it('rejects an empty type 17 payload (no format byte)', () => {
    expect(() => decodeCommand(command(hex``, 17))).toThrow(RtmpProtocolError);
  });
});

describe('command errors', () => {
  it.each([
    ['an empty payload', hex``],
    ['a number where the name should be', hex`00 3f f0 00 00 00 00 00 00`],
    ['a name and nothing else', hex`02 00 01 61`],
    ['a string transaction id', hex`02 00 01 61  02 00 01 31`],
    ['a null transaction id', hex`02 00 01 61  05`],
  ])('rejects %s with RtmpProtocolError', (_name, payload) => {
    expect(() => decodeCommand(command(payload))).toThrow(RtmpProtocolError);
  });

  it('reports a value cut short as RtmpProtocolError', () => {
    expect(() => decodeCommand(command(hex`02 00 07 63 6f 6e`))).toThrow(RtmpProtocolError);
  });

  it('reports bad AMF as AmfDecodeError', () => {
    expect(() => decodeCommand(command(hex`02 00 01 61  00 3f f0 00 00 00 00 00 00  0e`))).toThrow(AmfDecodeError);
  });

  it('rejects a data or video message', () => {
    expect(() => decodeCommand(command(connectPayload, 18))).toThrow(/must be message type 20 or 17/);
  });

  it(`stops at maxValues (default ${DEFAULT_MAX_AMF_VALUES})`, () => {
    const nulls = (count: number) => Buffer.concat([hex`02 00 01 61  00 00 00 00 00 00 00 00 00`, Buffer.alloc(count, 0x05)]);
    expect(decodeCommand(command(nulls(DEFAULT_MAX_AMF_VALUES - 2))).args).toHaveLength(DEFAULT_MAX_AMF_VALUES - 3);
    expect(() => decodeCommand(command(nulls(DEFAULT_MAX_AMF_VALUES - 1)))).toThrow(LimitExceededError);
    try {
      decodeCommand(command(nulls(10)), { maxValues: 5 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LimitExceededError);
      expect((error as LimitExceededError).limit).toBe('maxValues');
      expect((error as LimitExceededError).value).toBe(5);
    }
  });

  it('passes maxDepth on to the AMF0 decoder', () => {
    const nested = hex`02 00 01 61  00 00 00 00 00 00 00 00 00  0a 00 00 00 01 0a 00 00 00 01 0a 00 00 00 00`;
    expect(decodeCommand(command(nested)).commandObject).toStrictEqual([[[]]]);
    expect(() => decodeCommand(command(nested), { maxDepth: 2 })).toThrow(expect.objectContaining({ limit: 'maxDepth' }));
  });
});

describe('command round trips', () => {
  const commands = fc.record(
    {
      name: commandName,
      transactionId: fc.oneof(fc.nat(1000), fc.double()),
      commandObject: amf0Tree({ longStrings: false }),
      args: fc.array(amf0Tree({ longStrings: false }), { maxLength: 4 }),
    },
    { noNullPrototype: true },
  );

  it('AMF0: decode(encode(command)) is the command', () => {
    fc.assert(
      fc.property(commands, fc.nat(), (cmd, streamId) => {
        const message = encodeCommand(cmd, { streamId });
        expect(message).toMatchObject({ type: 20, streamId, timestamp: 0 });
        const decoded = decodeCommand(message);
        expect(decoded.name).toBe(cmd.name);
        expect(Object.is(decoded.transactionId, cmd.transactionId)).toBe(true);
        // Graph comparison: toStrictEqual trips over own "constructor" keys, which AMF allows.
        assertSameGraph([cmd.commandObject, ...cmd.args], [decoded.commandObject, ...decoded.args]);
      }),
      { numRuns: 150 },
    );
  });

  it('AMF3: decode(encode(command, amf3)) is the command', () => {
    const portable = fc.record(
      {
        name: commandName,
        transactionId: fc.nat(1000),
        commandObject: portableAmfValue,
        args: fc.array(portableAmfValue, { maxLength: 4 }),
      },
      { noNullPrototype: true },
    );
    fc.assert(
      fc.property(portable, (cmd) => {
        const message = encodeCommand(cmd, { streamId: 1, amf3: true });
        expect(message.type).toBe(17);
        expect(message.payload[0]).toBe(0x00);
        expect(decodeCommand(message)).toStrictEqual(cmd);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps an ECMA array as an ECMA array', () => {
    const cmd: RtmpCommand = { name: 'x', transactionId: 0, commandObject: null, args: [ecmaArray({ a: 1 }) as AmfValue] };
    expect(decodeCommand(encodeCommand(cmd, { streamId: 0 }))).toStrictEqual(cmd);
  });
});
