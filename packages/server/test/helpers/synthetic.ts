import {
  buildAacAudioFrame,
  buildAacSequenceHeader,
  buildAvcSequenceHeader,
  buildAvcVideoFrame,
  encodeData,
  ecmaArray,
  type AmfValue,
  type RtmpMessage,
} from '@rtmpkit/core';

/** An avcC record (Baseline, 320x240 SPS/PPS bytes: enough for parsers, not for decoders). */
export const AVC_CONFIG = Buffer.from([0x01, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0x00, 0x04, 0x67, 0x42, 0xc0, 0x1e, 0x01, 0x00, 0x04, 0x68, 0xce, 0x3c, 0x80]);
/** AAC LC, 44.1 kHz, stereo. */
export const AAC_CONFIG = Buffer.from([0x12, 0x10]);

export type Frame = Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>;

export const videoHeader = (timestamp = 0): Frame => ({ type: 9, timestamp, payload: buildAvcSequenceHeader(AVC_CONFIG) });
export const audioHeader = (timestamp = 0): Frame => ({ type: 8, timestamp, payload: buildAacSequenceHeader(AAC_CONFIG) });

/** A video frame whose body is `size` bytes of `fill` (so tests can tell frames apart). */
export function videoFrame(timestamp: number, keyframe: boolean, size = 100, fill = 0): Frame {
  return { type: 9, timestamp, payload: buildAvcVideoFrame({ keyframe, data: Buffer.alloc(size, fill) }) };
}

export function audioFrame(timestamp: number, size = 20): Frame {
  return { type: 8, timestamp, payload: buildAacAudioFrame(Buffer.alloc(size, 0xaa)) };
}

/** `onMetaData` as a server forwards it (type 18, no @setDataFrame). */
export function metadataMessage(metadata: Record<string, AmfValue>, timestamp = 0): Frame {
  return { type: 18, timestamp, payload: encodeData({ name: 'onMetaData', values: [ecmaArray(metadata)] }, { streamId: 0 }).payload };
}

/** Reads byte 0 of a video payload: keyframe (not a sequence header)? */
export function isKeyframePayload(payload: Buffer): boolean {
  return payload[0] === 0x17 && payload[1] === 0x01;
}

export function isVideoHeaderPayload(payload: Buffer): boolean {
  return payload[0] === 0x17 && payload[1] === 0x00;
}

export interface SyntheticOptions {
  /** Frames per second. Default 25. */
  fps?: number;
  /** Keyframe every N frames. Default 25. */
  gop?: number;
  /** Video frames to make. */
  frames: number;
  /** Bytes of an inter frame body. Default 500. */
  frameBytes?: number;
  /** Bytes of a keyframe body. Default 4 * frameBytes. */
  keyframeBytes?: number;
  /** Add AAC audio every 23 ms (44.1 kHz, 1024 samples). Default true. */
  audio?: boolean;
  /** First timestamp. Default 0. */
  start?: number;
}

/**
 * A publisher's messages: metadata, sequence headers, then video (and audio) in timestamp order.
 * Frame `i`'s body is filled with `i & 0xff`, so a player can tell which frames it got.
 */
export function syntheticStream(options: SyntheticOptions): Frame[] {
  const { fps = 25, gop = 25, frames, frameBytes = 500, audio = true, start = 0 } = options;
  const keyframeBytes = options.keyframeBytes ?? frameBytes * 4;
  const out: Frame[] = [metadataMessage({ width: 320, height: 240, framerate: fps, videocodecid: 7, audiocodecid: 10 }, start), videoHeader(start)];
  if (audio) out.push(audioHeader(start));
  const step = 1000 / fps;
  let audioAt = start;
  for (let i = 0; i < frames; i++) {
    const timestamp = Math.round(start + i * step);
    while (audio && audioAt <= timestamp) {
      out.push(audioFrame(Math.round(audioAt)));
      audioAt += 1024_000 / 44_100;
    }
    const key = i % gop === 0;
    out.push(videoFrame(timestamp, key, key ? keyframeBytes : frameBytes, i & 0xff));
  }
  return out;
}

/** Index of the frame a video payload came from (see `syntheticStream`). */
export function frameIndexOf(payload: Buffer): number {
  return payload[payload.length - 1]!;
}
