import { addSetDataFrame, buildAggregate, encodeCommand, encodeData, ecmaArray, type RtmpMessage } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { encodeFlvTag, FlvWriter } from '../src/index.js';
import { hex } from './helpers/hex.js';
import { SMALL_FILE } from './helpers/vectors.js';

const message = (type: number, timestamp: number, payload: Buffer, streamId = 1): RtmpMessage => ({ type, streamId, timestamp, payload });

describe('FlvWriter', () => {
  it('starts a file with the header and PreviousTagSize0', () => {
    expect(new FlvWriter().header()).toEqual(hex`46 4c 56 01 05 00 00 00 09  00 00 00 00`);
    expect(new FlvWriter({ hasAudio: false }).header()).toEqual(hex`46 4c 56 01 01 00 00 00 09  00 00 00 00`);
    expect(new FlvWriter({ hasVideo: false }).header()).toEqual(hex`46 4c 56 01 04 00 00 00 09  00 00 00 00`);
  });

  it('writes a tag: header with stream id 0, body, back pointer', () => {
    expect(new FlvWriter().write(message(8, 0x1234, hex`af 01 21 22`, 5))).toEqual(hex`
      08 00 00 04 00 12 34 00 00 00 00   # audio, 4 bytes, ts 0x1234, stream 0 (not 5)
      af 01 21 22
      00 00 00 0f                        # 11 + 4
    `);
  });

  it('puts the top byte of a 32-bit timestamp in the extension byte', () => {
    expect(encodeFlvTag(message(9, 0xfedcba98, hex`27 01`)).subarray(4, 8)).toEqual(hex`dc ba 98 fe`);
  });

  it('writes SMALL_FILE from what a publisher sends, unwrapping @setDataFrame', () => {
    const writer = new FlvWriter();
    const metadata = encodeData(addSetDataFrame({ name: 'onMetaData', values: [ecmaArray({ duration: 3.5 })] }), { streamId: 1 });
    const bytes = Buffer.concat([
      writer.header(),
      writer.write(metadata),
      writer.write(message(8, 0, hex`af 00 12 08`)),
      writer.write(message(9, 0x01020304, hex`17 01 00 00 00 aa bb`)),
    ]);
    expect(bytes.toString('hex')).toBe(SMALL_FILE.toString('hex'));
  });

  it('keeps data other than @setDataFrame byte for byte, and drops @clearDataFrame', () => {
    const writer = new FlvWriter();
    const cue = encodeData({ name: 'onCuePoint', values: [{ name: 'x' }] }, { streamId: 1, timestamp: 7 });
    expect(writer.tags(cue)).toEqual([{ type: 18, streamId: 0, timestamp: 7, payload: cue.payload }]);
    const clear = encodeData({ name: '@clearDataFrame', values: ['onMetaData'] }, { streamId: 1 });
    expect(writer.write(clear)).toHaveLength(0);
  });

  it('unwraps @setDataFrame in an AMF3 data message, keeping its format byte', () => {
    const amf3 = encodeData(addSetDataFrame({ name: 'onMetaData', values: [ecmaArray({ width: 640 })] }), { streamId: 1, amf3: true });
    const plain = encodeData({ name: 'onMetaData', values: [ecmaArray({ width: 640 })] }, { streamId: 1, amf3: true });
    expect(new FlvWriter().tags(amf3)).toEqual([{ type: 15, streamId: 0, timestamp: 0, payload: plain.payload }]);
  });

  it('rebases timestamps on the first audio or video message when asked', () => {
    const writer = new FlvWriter({ rebaseTimestamps: true });
    const stamps = [
      message(18, 4000, hex`02 00 01 61`), // data before any media: 0
      message(9, 5000, hex`17 00 00 00 00`), // the base
      message(8, 4990, hex`af 01`), // older than the base: 0
      message(8, 5020, hex`af 01`),
      message(9, 0x1_0000_0000 - 1, hex`27 01 00 00 00`),
    ].map((m) => writer.tags(m)[0]!.timestamp);
    expect(stamps).toEqual([0, 0, 0, 20, 0xffffffff - 5000]);
  });

  it('adds a timestamp offset after rebasing', () => {
    const writer = new FlvWriter({ rebaseTimestamps: true, timestampOffset: 3000 });
    expect([message(9, 700, hex`17`), message(8, 740, hex`af`)].map((m) => writer.tags(m)[0]!.timestamp)).toEqual([3000, 3040]);
    expect(() => new FlvWriter({ timestampOffset: -1 })).toThrow(RangeError);
  });

  it('keeps timestamps as they are by default', () => {
    expect(new FlvWriter().tags(message(9, 123456, hex`17`))[0]!.timestamp).toBe(123456);
  });

  it('splits an aggregate into its tags, at the aggregate time', () => {
    const inner = [message(9, 100, hex`17 01`), message(8, 120, hex`af 01`)];
    const aggregate = buildAggregate(inner, { timestamp: 1100 });
    const tags = new FlvWriter().tags(aggregate);
    expect(tags.map((tag) => [tag.type, tag.timestamp, tag.payload.toString('hex')])).toEqual([
      [9, 1100, '1701'],
      [8, 1120, 'af01'],
    ]);
  });

  it('gives nothing for messages a file cannot hold', () => {
    const writer = new FlvWriter();
    const command = encodeCommand({ name: 'play', transactionId: 0, commandObject: null, args: ['x'] }, { streamId: 1 });
    expect(writer.write(command)).toHaveLength(0);
    expect(writer.write(message(1, 0, hex`00 00 10 00`))).toHaveLength(0);
  });
});
