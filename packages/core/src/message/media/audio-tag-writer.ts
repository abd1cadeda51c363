import { ByteWriter } from '../../bytes/index.js';
import { assertIntegerInRange, assertUint32 } from '../encode-checks.js';
import type { MultichannelConfig } from './audio-tag.js';
import type { ModExEntry } from './ex-header.js';
import { modExEntriesFor, sizedWriter, writeExTracks, writeModExEntries, writeMultitrackHeader, type ExTrackBytes } from './ex-header-writer.js';
import { AacPacketType, AudioChannelOrder, AudioPacketType, SoundFormat } from './media-constants.js';

/** A legacy (non-Enhanced) audio tag to build. */
export interface LegacyAudioTagInit {
  /** See `SoundFormat` (not 9, which is the Enhanced RTMP switch). */
  soundFormat: number;
  /** 0 = 5.5, 1 = 11, 2 = 22, 3 = 44 kHz. Default 3. */
  soundRate?: number;
  /** 0 = 8-bit, 1 = 16-bit. Default 1. */
  soundSize?: number;
  /** 0 = mono, 1 = stereo. Default 1. */
  soundType?: number;
  /** AAC only: AACPacketType (default 1, raw). */
  packetType?: number;
  body?: Uint8Array;
}

/** Builds a legacy audio tag body: one header byte, an AACPacketType for AAC, then the data. */
export function encodeLegacyAudioTag(init: LegacyAudioTagInit): Buffer {
  assertIntegerInRange('soundFormat', init.soundFormat, 0, 15);
  if (init.soundFormat === SoundFormat.ExHeader) throw new RangeError('SoundFormat 9 is the Enhanced RTMP header; use encodeExAudioTag');
  const rate = init.soundRate ?? 3;
  const size = init.soundSize ?? 1;
  const type = init.soundType ?? 1;
  assertIntegerInRange('soundRate', rate, 0, 3);
  assertIntegerInRange('soundSize', size, 0, 1);
  assertIntegerInRange('soundType', type, 0, 1);
  const body = init.body ?? new Uint8Array(0);
  const writer = sizedWriter(body.length);
  writer.u8((init.soundFormat << 4) | (rate << 2) | (size << 1) | type);
  if (init.soundFormat === SoundFormat.Aac) {
    const packetType = init.packetType ?? AacPacketType.Raw;
    assertIntegerInRange('packetType', packetType, 0, AacPacketType.Raw);
    writer.u8(packetType);
  }
  return writer.bytes(body).finish();
}

/** One track of an Enhanced RTMP audio tag to build. */
export interface ExAudioTrackInit {
  /** Track id, 0..255 (only written for multitrack tags). */
  trackId?: number;
  fourCc: string;
  /** The codec data; for MultichannelConfig leave it out and give `multichannelConfig`. */
  body?: Uint8Array;
  multichannelConfig?: MultichannelConfig;
}

/** An Enhanced RTMP audio tag to build; the shape mirrors what `parseAudioTag` returns. */
export interface ExAudioTagInit {
  /** The real packet type (0, 1, 2 or 4), not ModEx or Multitrack. */
  packetType: number;
  modEx?: ModExEntry[];
  /** Shorthand for one TimestampOffsetNano ModEx block (0..999,999 ns). */
  timestampOffsetNano?: number;
  /** Set to write a Multitrack tag of this AvMultitrackType. */
  multitrackType?: number;
  /** Exactly one unless multitrack. */
  tracks: ExAudioTrackInit[];
}

const writablePacketTypes = new Set<number>([
  AudioPacketType.SequenceStart,
  AudioPacketType.CodedFrames,
  AudioPacketType.SequenceEnd,
  AudioPacketType.MultichannelConfig,
]);

/** Builds an Enhanced RTMP audio tag body (SoundFormat 9). */
export function encodeExAudioTag(init: ExAudioTagInit): Buffer {
  if (!writablePacketTypes.has(init.packetType)) throw new RangeError(`audio packet type must be 0, 1, 2 or 4, got ${init.packetType}`);
  const modEx = modExEntriesFor(init.modEx, init.timestampOffsetNano);
  const afterModEx = init.multitrackType !== undefined ? AudioPacketType.Multitrack : init.packetType;
  const firstPacketType = modEx.length > 0 ? AudioPacketType.ModEx : afterModEx;
  const tracks = init.tracks.map((track): ExTrackBytes => ({
    trackId: track.trackId,
    fourCc: track.fourCc,
    bytes: track.multichannelConfig !== undefined ? encodeMultichannelConfig(track.multichannelConfig) : (track.body ?? new Uint8Array(0)),
  }));
  const writer = sizedWriter(tracks.reduce((sum, track) => sum + track.bytes.length + 8, 0));
  writer.u8((SoundFormat.ExHeader << 4) | firstPacketType);
  writeModExEntries(writer, modEx, afterModEx, AudioPacketType.ModEx);
  if (init.multitrackType !== undefined) writeMultitrackHeader(writer, init.multitrackType, init.packetType);
  writeExTracks(writer, init.multitrackType, tracks);
  return writer.finish();
}

/** `channelOrder · channelCount · [mask UI32 | mapping UI8[count]]`. */
export function encodeMultichannelConfig(config: MultichannelConfig): Buffer {
  assertIntegerInRange('channelCount', config.channelCount, 0, 0xff);
  const writer = new ByteWriter(6 + config.channelCount);
  writer.u8(config.channelOrder).u8(config.channelCount);
  switch (config.channelOrder) {
    case AudioChannelOrder.Unspecified:
      break;
    case AudioChannelOrder.Native:
      assertUint32('channelMask', config.channelMask ?? -1);
      writer.u32(config.channelMask!);
      break;
    case AudioChannelOrder.Custom:
      if (config.channelMapping?.length !== config.channelCount) {
        throw new RangeError(`channelMapping needs exactly channelCount (${config.channelCount}) entries`);
      }
      writer.bytes(config.channelMapping);
      break;
    default:
      throw new RangeError(`channelOrder must be 0, 1 or 2, got ${config.channelOrder}`);
  }
  return writer.finish();
}

/** `AF 00 <AudioSpecificConfig>`: an AAC sequence header (44 kHz, 16-bit, stereo flags as encoders send). */
export function buildAacSequenceHeader(audioSpecificConfig: Uint8Array): Buffer {
  return encodeLegacyAudioTag({ soundFormat: SoundFormat.Aac, packetType: AacPacketType.SequenceHeader, body: audioSpecificConfig });
}

/** `AF 01 <raw AAC frame>`. */
export function buildAacAudioFrame(data: Uint8Array): Buffer {
  return encodeLegacyAudioTag({ soundFormat: SoundFormat.Aac, packetType: AacPacketType.Raw, body: data });
}

/** `0x90 <FourCC> <config>`: Enhanced RTMP audio SequenceStart (AAC ASC, Opus ID header, FLAC "fLaC"+STREAMINFO). */
export function buildExAudioSequenceStart(fourCc: string, config: Uint8Array): Buffer {
  return encodeExAudioTag({ packetType: AudioPacketType.SequenceStart, tracks: [{ fourCc, body: config }] });
}

/** `0x91 <FourCC> <frame>`: Enhanced RTMP audio CodedFrames. */
export function buildExAudioCodedFrames(fourCc: string, data: Uint8Array): Buffer {
  return encodeExAudioTag({ packetType: AudioPacketType.CodedFrames, tracks: [{ fourCc, body: data }] });
}
