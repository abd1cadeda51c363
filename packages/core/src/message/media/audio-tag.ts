import { ByteReader } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { decodeOrThrowProtocolError } from '../message-errors.js';
import { readExTracks, readFourCc, readModExChain, readMultitrackHeader, type ModExEntry } from './ex-header.js';
import { AacPacketType, AudioChannelOrder, AudioPacketType, AvMultitrackType, SoundFormat } from './media-constants.js';
import { resolveMediaTagOptions, type MediaTagOptions } from './media-options.js';

/** The body of an Enhanced RTMP MultichannelConfig packet. */
export interface MultichannelConfig {
  /** See `AudioChannelOrder`. */
  channelOrder: number;
  channelCount: number;
  /** AudioChannelMask bits, for the Native order. */
  channelMask?: number;
  /** One AudioChannel id per channel, for the Custom order (a view). */
  channelMapping?: Buffer;
}

/** One track of an audio tag. A tag without multitrack has one track with id 0. */
export interface AudioTrack {
  /** Track id (0 = the default track). */
  trackId: number;
  /** Legacy SoundFormat (e.g. 10 = AAC) or, for Enhanced RTMP, the FourCC (e.g. `"Opus"`). */
  codec: number | string;
  /** The codec data after all headers: a view of the message payload, not a copy. */
  body: Buffer;
  /** Present for MultichannelConfig packets (the raw bytes are in `body` too). */
  multichannelConfig?: MultichannelConfig;
}

/**
 * A parsed FLV AUDIODATA body (the payload of an RTMP type 8 message), legacy or Enhanced RTMP.
 * `codec` and `body` repeat the first track's.
 */
export interface AudioTag {
  /** An empty audio message: the "silence" marker (no header at all). */
  isSilence: boolean;
  /** SoundFormat 9: Enhanced RTMP (FourCC) mode. */
  isExHeader: boolean;
  /** The top nibble of byte 0 (see `SoundFormat`); undefined for silence. */
  soundFormat: number | undefined;
  /** Legacy only: 0 = 5.5, 1 = 11, 2 = 22, 3 = 44 kHz. */
  soundRate: number | undefined;
  /** Legacy only: 0 = 8-bit, 1 = 16-bit. */
  soundSize: number | undefined;
  /** Legacy only: 0 = mono, 1 = stereo. */
  soundType: number | undefined;
  /** AACPacketType for legacy AAC, AudioPacketType for Enhanced RTMP (after ModEx and Multitrack); else undefined. */
  packetType: number | undefined;
  /** AAC sequence header (AudioSpecificConfig) or Enhanced RTMP SequenceStart. */
  isSequenceHeader: boolean;
  /** Nanoseconds to add to the message timestamp (ModEx TimestampOffsetNano), else 0. */
  timestampOffsetNano: number;
  /** Every ModEx block, in order. */
  modEx: ModExEntry[];
  /** The AvMultitrackType when the tag is multitrack, else undefined. */
  multitrackType: number | undefined;
  /** The tracks; empty for silence. */
  tracks: AudioTrack[];
  /** The first track's codec, undefined for silence. */
  codec: number | string | undefined;
  /** The first track's body, else an empty view. */
  body: Buffer;
}

const knownExPacketTypes = new Set<number>([
  AudioPacketType.SequenceStart,
  AudioPacketType.CodedFrames,
  AudioPacketType.SequenceEnd,
  AudioPacketType.MultichannelConfig,
]);

/**
 * Parses an audio message payload (FLV AUDIODATA). Bodies are views of `payload`. An empty
 * payload is the silence marker. Malformed or truncated input throws `RtmpProtocolError`.
 */
export function parseAudioTag(payload: Buffer, options?: MediaTagOptions): AudioTag {
  const limits = resolveMediaTagOptions(options);
  const none = { soundRate: undefined, soundSize: undefined, soundType: undefined };
  if (payload.length === 0) {
    return { isSilence: true, isExHeader: false, soundFormat: undefined, ...none, packetType: undefined, isSequenceHeader: false, timestampOffsetNano: 0, modEx: [], multitrackType: undefined, tracks: [], codec: undefined, body: payload };
  }
  return decodeOrThrowProtocolError('audio tag', () => {
    const reader = new ByteReader(payload);
    const first = reader.u8();
    const soundFormat = first >> 4;
    if (soundFormat !== SoundFormat.ExHeader) return parseLegacy(reader, first);

    const chain = readModExChain(reader, first & 0x0f, AudioPacketType.ModEx, limits.maxModExEntries);
    let packetType = chain.packetType;
    let multitrackType: number | undefined;
    let sharedFourCc: string | undefined;
    if (packetType === AudioPacketType.Multitrack) {
      const header = readMultitrackHeader(reader, AudioPacketType.Multitrack, AudioPacketType.ModEx);
      multitrackType = header.multitrackType;
      packetType = header.packetType;
      if (multitrackType !== AvMultitrackType.ManyTracksManyCodecs) sharedFourCc = readFourCc(reader);
    } else {
      sharedFourCc = readFourCc(reader);
    }
    if (!knownExPacketTypes.has(packetType)) throw new RtmpProtocolError(`reserved audio packet type ${packetType}`);

    const tracks = readExTracks(reader, multitrackType, sharedFourCc, limits.maxTracks, (track, trackId, fourCc): AudioTrack => {
      const body = track.buffer.subarray(track.offset, track.end);
      if (packetType !== AudioPacketType.MultichannelConfig) return { trackId, codec: fourCc, body };
      return { trackId, codec: fourCc, body, multichannelConfig: readMultichannelConfig(track) };
    });
    const head = tracks[0]!;
    return {
      isSilence: false,
      isExHeader: true,
      soundFormat,
      ...none,
      packetType,
      isSequenceHeader: packetType === AudioPacketType.SequenceStart,
      timestampOffsetNano: chain.timestampOffsetNano,
      modEx: chain.entries,
      multitrackType,
      tracks,
      codec: head.codec,
      body: head.body,
    };
  });
}

/** `channelOrder UI8 · channelCount UI8 · [mask UI32 | mapping UI8[channelCount]]`. */
function readMultichannelConfig(reader: ByteReader): MultichannelConfig {
  const channelOrder = reader.u8();
  const channelCount = reader.u8();
  switch (channelOrder) {
    case AudioChannelOrder.Unspecified:
      return { channelOrder, channelCount };
    case AudioChannelOrder.Native:
      return { channelOrder, channelCount, channelMask: reader.u32() };
    case AudioChannelOrder.Custom:
      return { channelOrder, channelCount, channelMapping: reader.bytes(channelCount) };
    default:
      throw new RtmpProtocolError(`reserved AudioChannelOrder ${channelOrder}`);
  }
}

/** Legacy layout: `SoundFormat(4) SoundRate(2) SoundSize(1) SoundType(1)`, AAC adds AACPacketType. */
function parseLegacy(reader: ByteReader, first: number): AudioTag {
  const soundFormat = first >> 4;
  let packetType: number | undefined;
  if (soundFormat === SoundFormat.Aac) {
    packetType = reader.u8();
    if (packetType > AacPacketType.Raw) throw new RtmpProtocolError(`unknown AACPacketType ${packetType}`);
  }
  const body = reader.bytes(reader.remaining);
  return {
    isSilence: false,
    isExHeader: false,
    soundFormat,
    soundRate: (first >> 2) & 0x03,
    soundSize: (first >> 1) & 0x01,
    soundType: first & 0x01,
    packetType,
    isSequenceHeader: soundFormat === SoundFormat.Aac && packetType === AacPacketType.SequenceHeader,
    timestampOffsetNano: 0,
    modEx: [],
    multitrackType: undefined,
    tracks: [{ trackId: 0, codec: soundFormat, body }],
    codec: soundFormat,
    body,
  };
}
