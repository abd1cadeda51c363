/**
 * Every message of the captured ffmpeg / rtmpdump / nginx-rtmp sessions (test/fixtures/captures,
 * payloads taken from the hand-checked fixture comments) through the message decoders: what they
 * decode must agree with the annotation, and encoding it again must give the captured bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeCommand,
  decodeData,
  decodeSetChunkSize,
  decodeSetPeerBandwidth,
  decodeUserControl,
  decodeWindowAcknowledgementSize,
  encodeCommand,
  encodeData,
  encodeSetChunkSize,
  encodeSetPeerBandwidth,
  encodeUserControl,
  encodeWindowAcknowledgementSize,
  parseAudioTag,
  parseVideoTag,
  peerBandwidthLimitKind,
  stripSetDataFrame,
} from '../src/message/index.js';
import { CAPTURES, loadCapture, type AnnotatedMessage, type CaptureName } from './fixtures/captures/captures.js';
import { hex } from './helpers/hex.js';

/** An annotated captured message and the capture it came from. */
interface AnyMessage extends AnnotatedMessage {
  capture: CaptureName;
}

const messages: AnyMessage[] = CAPTURES.flatMap((name) => loadCapture(name).messages.map((message) => ({ ...message, capture: name })));
const ofType = (type: number) => messages.filter((message) => message.type === type).map((message) => [`${message.capture} #${message.index} ${message.summary}`, message] as const);

describe('captured control messages', () => {
  it.each(ofType(1))('%s', (_label, message) => {
    expect(decodeSetChunkSize(message)).toBe(4096);
    expect(encodeSetChunkSize(4096, message.timestamp).payload).toStrictEqual(message.payload);
  });

  it.each(ofType(5))('%s', (_label, message) => {
    expect(decodeWindowAcknowledgementSize(message)).toBe(5_000_000);
    expect(encodeWindowAcknowledgementSize(5_000_000).payload).toStrictEqual(message.payload);
  });

  it.each(ofType(6))('%s', (_label, message) => {
    const decoded = decodeSetPeerBandwidth(message);
    expect(decoded).toStrictEqual({ windowSize: 5_000_000, limitType: 2 });
    expect(peerBandwidthLimitKind(decoded.limitType, 'nginx')).toBe('dynamic');
    expect(encodeSetPeerBandwidth(decoded).payload).toStrictEqual(message.payload);
  });

  it.each(ofType(4))('%s', (_label, message) => {
    const decoded = decodeUserControl(message);
    expect(message.summary).toContain(decoded.kind);
    expect(encodeUserControl(decoded, message.timestamp)).toStrictEqual({ type: 4, streamId: 0, timestamp: message.timestamp, payload: message.payload });
  });

  it('reads the players’ buffer lengths: ffmpeg 3000 ms on stream 1, rtmpdump 300 ms then 36,000,000 ms', () => {
    const lengths = ofType(4)
      .map(([, message]) => decodeUserControl(message))
      .flatMap((decoded) => (decoded.kind === 'SetBufferLength' ? [[decoded.streamId, decoded.bufferLength]] : []));
    expect(lengths).toStrictEqual([
      [1, 3000],
      [0, 300],
      [1, 36_000_000],
    ]);
  });
});

describe('captured commands', () => {
  it.each(ofType(20))('%s', (_label, message) => {
    const decoded = decodeCommand(message);
    const [, summaryName, transaction] = /^(?:_result for \w+|(\S+)).*transaction (\d+)\)/.exec(message.summary) ?? [];
    if (summaryName !== undefined) expect(decoded.name).toBe(summaryName);
    else expect(decoded.name).toBe('_result');
    expect(decoded.transactionId).toBe(Number(transaction));
    expect(encodeCommand(decoded, { streamId: message.streamId, timestamp: message.timestamp })).toStrictEqual({
      type: 20,
      streamId: message.streamId,
      timestamp: message.timestamp,
      payload: message.payload,
    });
  });

  it('reads nginx’s connect _result and createStream result', () => {
    const [connectResult, createResult] = ofType(20)
      .filter(([, message]) => message.capture === 'ffmpeg-play.s2c')
      .map(([, message]) => decodeCommand(message));
    expect(connectResult).toMatchObject({ name: '_result', transactionId: 1, commandObject: { fmsVer: 'FMS/3,0,1,123', capabilities: 31 } });
    expect(connectResult!.args[0]).toMatchObject({ level: 'status', code: 'NetConnection.Connect.Success', objectEncoding: 0 });
    expect(createResult).toStrictEqual({ name: '_result', transactionId: 2, commandObject: null, args: [1] });
  });

  it('reads the play commands: ffmpeg -2000, rtmpdump -1000', () => {
    const plays = ofType(20)
      .map(([, message]) => decodeCommand(message))
      .filter((command) => command.name === 'play');
    expect(plays.map((command) => command.args)).toStrictEqual([
      ['cap', -2000],
      ['cap', -1000],
    ]);
  });
});

describe('captured data messages', () => {
  it.each(ofType(18))('%s', (_label, message) => {
    const decoded = decodeData(message);
    expect(message.summary.startsWith(decoded.name!)).toBe(true);
    expect(encodeData(decoded, { streamId: message.streamId, timestamp: message.timestamp }).payload).toStrictEqual(message.payload);
  });

  it('unwraps ffmpeg’s @setDataFrame to onMetaData with an ECMA array of 13 keys', () => {
    const [, publish] = ofType(18).find(([, message]) => message.summary.startsWith('@setDataFrame'))!;
    const stripped = stripSetDataFrame(decodeData(publish));
    expect(stripped.name).toBe('onMetaData');
    expect(Object.keys(stripped.values[0] as object)).toHaveLength(13);
    expect(stripped.values[0]).toMatchObject({ width: 320, height: 240, videocodecid: 7, audiocodecid: 10 });
  });
});

describe('captured media', () => {
  it.each(ofType(8))('%s', (_label, message) => {
    const tag = parseAudioTag(message.payload);
    expect(tag).toMatchObject({ soundFormat: 10, codec: 10, isSequenceHeader: message.summary.includes('sequence header') });
    if (tag.isSequenceHeader) expect(tag.body).toStrictEqual(hex`12 08 56 e5 00   # AAC LC 44.1 kHz mono + SBR sync extension`);
    expect(tag.body.buffer).toBe(message.payload.buffer);
  });

  it.each(ofType(9))('%s', (_label, message) => {
    const tag = parseVideoTag(message.payload);
    expect(tag).toMatchObject({ codec: 7, isSequenceHeader: message.summary.includes('sequence header'), isKeyframe: !message.summary.includes('inter frame') });
    if (tag.isSequenceHeader) expect(tag.body[0]).toBe(1); // avcC configurationVersion
    else expect(tag.body.readUInt32BE(0)).toBeLessThan(tag.body.length); // a length-prefixed NALU
  });
});
