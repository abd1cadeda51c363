import { buildExAudioSequenceStart, buildExVideoCodedFrames, buildExVideoSequenceStart, encodeData, ecmaArray, type RtmpMessage } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../src/index.js';
import { audioFrame, audioHeader, metadataMessage, videoFrame, videoHeader } from './helpers/synthetic.js';

const message = (frame: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>): RtmpMessage => ({ ...frame, streamId: 1 });

describe('classifyMessage', () => {
  it('tells AVC sequence headers, keyframes and inter frames apart', () => {
    expect(classifyMessage(message(videoHeader()))).toMatchObject({ frame: { header: true, keyframe: false }, headerSlot: 'video:0', video: { codec: 'h264' } });
    expect(classifyMessage(message(videoFrame(40, true)))).toMatchObject({ frame: { header: false, keyframe: true }, video: { codec: 'h264' } });
    expect(classifyMessage(message(videoFrame(80, false)))).toMatchObject({ frame: { header: false, keyframe: false } });
  });

  it('reads AAC sequence headers (sample rate and channels from the AudioSpecificConfig)', () => {
    expect(classifyMessage(message(audioHeader()))).toMatchObject({
      frame: { header: true },
      headerSlot: 'audio:0',
      audio: { codec: 'aac', sampleRate: 44100, channels: 2 },
    });
    expect(classifyMessage(message(audioFrame(0)))).toMatchObject({ frame: { header: false, keyframe: false }, audio: { codec: 'aac' } });
  });

  it('takes AAC channels from the AudioSpecificConfig only: the FLV header of AAC frames always says stereo', () => {
    // 0xAF = AAC, 44 kHz, 16-bit, stereo (fixed for AAC); ASC 0x12 0x08 = AAC LC, 44100 Hz, 1 channel.
    const monoHeader = { type: 8, timestamp: 0, payload: Buffer.from([0xaf, 0x00, 0x12, 0x08]) };
    const frame = { type: 8, timestamp: 23, payload: Buffer.from([0xaf, 0x01, 0x21, 0x10]) };
    expect(classifyMessage(message(monoHeader)).audio).toEqual({ codec: 'aac', sampleRate: 44100, channels: 1 });
    expect(classifyMessage(message(frame)).audio).toEqual({ codec: 'aac' });
  });

  it('treats Enhanced RTMP SequenceStart as a header and CodedFrames keyframes as keyframes', () => {
    const hevcStart = { type: 9, timestamp: 0, payload: buildExVideoSequenceStart('hvc1', Buffer.from([1, 2, 3])) };
    expect(classifyMessage(message(hevcStart))).toMatchObject({ frame: { header: true }, headerSlot: 'video:0', video: { codec: 'hevc' } });
    const hevcKey = { type: 9, timestamp: 0, payload: buildExVideoCodedFrames({ fourCc: 'hvc1', keyframe: true, data: Buffer.from([9]) }) };
    expect(classifyMessage(message(hevcKey))).toMatchObject({ frame: { keyframe: true, header: false } });
    const opusStart = { type: 8, timestamp: 0, payload: buildExAudioSequenceStart('Opus', Buffer.alloc(0)) };
    expect(classifyMessage(message(opusStart))).toMatchObject({ frame: { header: true }, headerSlot: 'audio:0', audio: { codec: 'opus' } });
  });

  it('keeps onMetaData as a header and reads it', () => {
    const classified = classifyMessage(message(metadataMessage({ width: 640, height: 360 })));
    expect(classified.frame.header).toBe(true);
    expect(classified.data).toMatchObject({ kind: 'metadata', metadata: { width: 640, height: 360 } });
  });

  it('unwraps @setDataFrame (for publishers that are not RTMP sessions)', () => {
    const wrapped = encodeData({ name: '@setDataFrame', values: ['onMetaData', ecmaArray({ width: 1 })] }, { streamId: 1 });
    const classified = classifyMessage(wrapped);
    expect(classified.data).toMatchObject({ kind: 'metadata', metadata: { width: 1 } });
    expect(classified.frame.payload.toString('latin1')).not.toContain('@setDataFrame');
    expect(classified.frame.payload.toString('latin1')).toContain('onMetaData');
  });

  it('recognizes @clearDataFrame and passes other data on', () => {
    const clear = encodeData({ name: '@clearDataFrame', values: [] }, { streamId: 1 });
    expect(classifyMessage(clear).data).toEqual({ kind: 'clear' });
    const cue = encodeData({ name: 'onCuePoint', values: [{ name: 'x' }] }, { streamId: 1 });
    expect(classifyMessage(cue)).toMatchObject({ data: { kind: 'other' }, frame: { header: false } });
  });

  it('passes tags that do not parse on as plain frames, flagged', () => {
    const garbage = { type: 9, timestamp: 0, payload: Buffer.from([0x0f]), streamId: 1 };
    expect(classifyMessage(garbage)).toMatchObject({ unparsed: true, frame: { keyframe: false, header: false } });
    expect(classifyMessage({ type: 8, timestamp: 0, payload: Buffer.from([0xaf]), streamId: 1 })).toMatchObject({ unparsed: true });
  });
});
