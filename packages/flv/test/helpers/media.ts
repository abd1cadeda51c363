import {
  addSetDataFrame,
  buildAacAudioFrame,
  buildAacSequenceHeader,
  buildAvcSequenceHeader,
  buildAvcVideoFrame,
  ecmaArray,
  encodeData,
  type AmfValue,
  type RtmpMessage,
} from '@rtmpkit/core';
import { FlvWriter, type FlvWriterOptions } from '../../src/index.js';

/** A small stand-in avcC and AudioSpecificConfig: the FLV layer never looks inside them. */
export const AVC_CONFIG = Buffer.from('0142c00dffe100', 'hex');
export const AAC_CONFIG = Buffer.from('1208', 'hex');

/** `@setDataFrame, onMetaData, {…}` as a publisher sends it (stream 1, timestamp 0). */
export function setDataFrame(properties: Record<string, AmfValue>, timestamp = 0): RtmpMessage {
  return encodeData(addSetDataFrame({ name: 'onMetaData', values: [ecmaArray(properties)] }), { streamId: 1, timestamp });
}

export function video(timestamp: number, keyframe: boolean, size = 20): RtmpMessage {
  return { type: 9, streamId: 1, timestamp, payload: buildAvcVideoFrame({ keyframe, data: Buffer.alloc(size, timestamp & 0xff) }) };
}

export function audio(timestamp: number, size = 8): RtmpMessage {
  return { type: 8, streamId: 1, timestamp, payload: buildAacAudioFrame(Buffer.alloc(size, timestamp & 0xff)) };
}

/**
 * A publisher's stream: metadata, both sequence headers at `start`, then `seconds` of video at
 * 25 fps (a key frame every `gop` frames) and audio every 20 ms.
 */
export function publishedStream(options: { seconds: number; start?: number; gop?: number; metadata?: Record<string, AmfValue> | null }): RtmpMessage[] {
  const start = options.start ?? 0;
  const gop = options.gop ?? 25;
  const messages: RtmpMessage[] = [];
  if (options.metadata !== null) messages.push(setDataFrame(options.metadata ?? { duration: 0, width: 320, height: 240, filesize: 0 }, start));
  messages.push({ type: 9, streamId: 1, timestamp: start, payload: buildAvcSequenceHeader(AVC_CONFIG) });
  messages.push({ type: 8, streamId: 1, timestamp: start, payload: buildAacSequenceHeader(AAC_CONFIG) });
  const end = start + options.seconds * 1000;
  const media: RtmpMessage[] = [];
  for (let at = start, frame = 0; at < end; at += 40, frame++) media.push(video(at, frame % gop === 0));
  for (let at = start; at < end; at += 20) media.push(audio(at));
  // In time order, audio first at equal times, as a muxer interleaves them.
  media.sort((a, b) => a.timestamp - b.timestamp || a.type - b.type);
  messages.push(...media);
  return messages;
}

/** The bytes `FlvWriter` makes of `messages`. */
export function flvBytes(messages: RtmpMessage[], options?: FlvWriterOptions): Buffer {
  const writer = new FlvWriter(options);
  return Buffer.concat([writer.header(), ...messages.map((message) => writer.write(message))]);
}
