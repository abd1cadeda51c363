import {
  AudioPacketType,
  VideoPacketType,
  decodeData,
  encodeData,
  parseAudioTag,
  parseVideoTag,
  stripSetDataFrame,
  type AmfValue,
  type RtmpMessage,
} from '@rtmpkit/core';
import { aacConfigFacts, audioCodecName, LEGACY_SOUND_RATES, videoCodecName } from './codec-names.js';
import type { CodecInfo, MediaFrame } from './live-types.js';

/** What the hub learns from one incoming message. */
export interface Classified {
  frame: MediaFrame;
  /**
   * For headers: which slot it replaces (`video:0`, `audio:0`, `video-meta:0`, …; the track ids
   * of a multitrack message), so a new sequence header replaces the old one of the same track.
   */
  headerSlot?: string;
  /** `onMetaData` (the frame is the unwrapped message), `clear` (`@clearDataFrame`), or another data message. */
  data?: { kind: 'metadata'; metadata: Record<string, AmfValue> | undefined } | { kind: 'clear' } | { kind: 'other' };
  video?: CodecInfo;
  audio?: CodecInfo;
  /** The tag could not be parsed: forwarded as it is, as a plain frame. */
  unparsed?: boolean;
}

const EMPTY = Buffer.alloc(0);

/** The handler name of a data message, read without decoding the rest (AMF0 string at the start). */
export function dataHandlerName(message: Pick<RtmpMessage, 'type' | 'payload'>): string | undefined {
  const at = message.type === 15 ? 1 : 0;
  const { payload } = message;
  if (payload.length < at + 3 || payload[at] !== 0x02) return undefined;
  const length = payload.readUInt16BE(at + 1);
  if (payload.length < at + 3 + length) return undefined;
  return payload.toString('utf8', at + 3, at + 3 + length);
}

function frameOf(message: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>, keyframe: boolean, header: boolean): MediaFrame {
  return { type: message.type, timestamp: message.timestamp, payload: message.payload, keyframe, header };
}

function trackSlot(tracks: ReadonlyArray<{ trackId: number }>): string {
  return tracks.length === 0 ? '0' : tracks.map((track) => track.trackId).join(',');
}

function classifyVideo(message: RtmpMessage): Classified {
  let tag;
  try {
    tag = parseVideoTag(message.payload);
  } catch {
    return { frame: frameOf(message, false, false), unparsed: true };
  }
  const slot = trackSlot(tag.tracks);
  if (tag.isSequenceHeader) {
    const video = tag.codec === undefined ? undefined : { codec: videoCodecName(tag.codec) };
    return { frame: frameOf(message, false, true), headerSlot: `video:${slot}`, ...(video ? { video } : {}) };
  }
  if (tag.isExHeader && tag.packetType === VideoPacketType.Metadata) {
    return { frame: frameOf(message, false, true), headerSlot: `video-meta:${slot}` };
  }
  const video = tag.codec === undefined || tag.command !== undefined ? undefined : { codec: videoCodecName(tag.codec) };
  return { frame: frameOf(message, tag.isKeyframe, false), ...(video ? { video } : {}) };
}

function classifyAudio(message: RtmpMessage): Classified {
  let tag;
  try {
    tag = parseAudioTag(message.payload);
  } catch {
    return { frame: frameOf(message, false, false), unparsed: true };
  }
  if (tag.isSilence || tag.codec === undefined) return { frame: frameOf(message, false, false) };
  const audio: CodecInfo = { codec: audioCodecName(tag.codec) };
  // For AAC the legacy rate and type bits are fixed (44 kHz, stereo) whatever the stream is:
  // only its sequence header (AudioSpecificConfig) tells the truth.
  if (!tag.isExHeader && tag.soundRate !== undefined && audio.codec !== 'aac') {
    audio.sampleRate = LEGACY_SOUND_RATES[tag.soundRate];
    audio.channels = (tag.soundType ?? 0) + 1;
  }
  const slot = trackSlot(tag.tracks);
  if (tag.isSequenceHeader) {
    if (audio.codec === 'aac') Object.assign(audio, aacConfigFacts(tag.body) ?? {});
    return { frame: frameOf(message, false, true), headerSlot: `audio:${slot}`, audio };
  }
  if (tag.isExHeader && tag.packetType === AudioPacketType.MultichannelConfig) {
    return { frame: frameOf(message, false, true), headerSlot: `audio-config:${slot}`, audio };
  }
  return { frame: frameOf(message, false, false), audio };
}

/** Decodes `onMetaData`'s object (ECMA array or object), or undefined when it is not readable. */
function metadataObject(values: AmfValue[]): Record<string, AmfValue> | undefined {
  const [first] = values;
  if (typeof first !== 'object' || first === null || Array.isArray(first) || first instanceof Date || Buffer.isBuffer(first)) return undefined;
  return { ...(first as Record<string, AmfValue>) };
}

function classifyData(message: RtmpMessage): Classified {
  const name = dataHandlerName(message);
  if (name === '@clearDataFrame') return { frame: frameOf({ ...message, payload: EMPTY }, false, false), data: { kind: 'clear' } };
  if (name !== 'onMetaData' && name !== '@setDataFrame') return { frame: frameOf(message, false, false), data: { kind: 'other' } };
  try {
    let data = decodeData(message);
    let outgoing: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'> = message;
    if (data.name === '@setDataFrame') {
      // RTMP sessions unwrap it already; publishers that are not RTMP sessions may not.
      data = stripSetDataFrame(data);
      outgoing = { type: 18, timestamp: message.timestamp, payload: encodeData(data, { streamId: 0, amf3: false }).payload };
    }
    if (data.name !== 'onMetaData') return { frame: frameOf(outgoing, false, false), data: { kind: 'other' } };
    return { frame: frameOf(outgoing, false, true), data: { kind: 'metadata', metadata: metadataObject(data.values) } };
  } catch {
    return { frame: frameOf(message, false, false), data: { kind: 'other' }, unparsed: true };
  }
}

/**
 * Classifies one message of a publisher: keyframe, sequence header, metadata, codec facts. Tags
 * that do not parse are passed on unchanged as plain frames (a live server forwards what it
 * gets; players decide), flagged `unparsed` for the counters.
 */
export function classifyMessage(message: RtmpMessage): Classified {
  switch (message.type) {
    case 9:
      return classifyVideo(message);
    case 8:
      return classifyAudio(message);
    case 18:
    case 15:
      return classifyData(message);
    default:
      return { frame: frameOf(message, false, false), unparsed: true };
  }
}

/** Width, height, frame rate, sample rate and channels that `onMetaData` announces. */
export function metadataFacts(metadata: Record<string, AmfValue>): { video: Partial<CodecInfo>; audio: Partial<CodecInfo> } {
  const number = (key: string): number | undefined => {
    const value = metadata[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const video: Partial<CodecInfo> = {};
  const audio: Partial<CodecInfo> = {};
  const width = number('width');
  const height = number('height');
  const frameRate = number('framerate') ?? number('videoframerate');
  const sampleRate = number('audiosamplerate');
  if (width !== undefined) video.width = Math.round(width);
  if (height !== undefined) video.height = Math.round(height);
  if (frameRate !== undefined) video.frameRate = frameRate;
  if (sampleRate !== undefined) audio.sampleRate = sampleRate;
  if (typeof metadata.stereo === 'boolean') audio.channels = metadata.stereo ? 2 : 1;
  return { video, audio };
}
