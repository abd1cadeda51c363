import { ByteReader } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { decodeOrThrowProtocolError } from '../message-errors.js';
import { readExTracks, readFourCc, readModExChain, readMultitrackHeader, type ModExEntry } from './ex-header.js';
import { videoCodecHasCompositionTime } from './fourcc.js';
import { AvcPacketType, AvMultitrackType, VideoCodecId, VideoFrameType, VideoPacketType } from './media-constants.js';
import { resolveMediaTagOptions, type MediaTagOptions } from './media-options.js';

/** One track of a video tag. A tag without multitrack has one track with id 0. */
export interface VideoTrack {
  /** Track id (0 = the default track). */
  trackId: number;
  /** Legacy CodecID (e.g. 7 = AVC) or, for Enhanced RTMP, the FourCC (e.g. `"hvc1"`). */
  codec: number | string;
  /** SI24 composition time offset in ms; 0 where the format has none. */
  compositionTime: number;
  /** The codec data after all headers: a view of the message payload, not a copy. */
  body: Buffer;
}

/**
 * A parsed FLV VIDEODATA body (the payload of an RTMP type 9 message), legacy or Enhanced RTMP.
 * `codec`, `compositionTime` and `body` repeat the first track's so single-track code can ignore
 * `tracks`.
 */
export interface VideoTag {
  /** Bit 7 of byte 0: Enhanced RTMP (FourCC) mode. */
  isExHeader: boolean;
  /** See `VideoFrameType`. Ignored by the spec for Metadata packets. */
  frameType: number;
  /** Key frame or generated key frame (not for command or Metadata packets). */
  isKeyframe: boolean;
  /** AVCPacketType for legacy AVC, VideoPacketType for Enhanced RTMP (after ModEx and Multitrack); else undefined. */
  packetType: number | undefined;
  /** AVC sequence header, or Enhanced RTMP SequenceStart / MPEG2TSSequenceStart: decoder configuration. */
  isSequenceHeader: boolean;
  /** The VideoCommand byte of a command frame (frame type 5), else undefined. */
  command: number | undefined;
  /** Nanoseconds to add to the message timestamp (ModEx TimestampOffsetNano), else 0. */
  timestampOffsetNano: number;
  /** Every ModEx block, in order (empty for most tags). */
  modEx: ModExEntry[];
  /** The AvMultitrackType when the tag is multitrack, else undefined. */
  multitrackType: number | undefined;
  /** The tracks; empty for a command frame. */
  tracks: VideoTrack[];
  /** The first track's codec; the legacy CodecID of a legacy command frame; undefined for an Enhanced RTMP command frame. */
  codec: number | string | undefined;
  /** The first track's composition time, else 0. */
  compositionTime: number;
  /** The first track's body, else an empty view. */
  body: Buffer;
}

/** Frame types a sender may use: 1..5 (0, 6 and 7 are reserved). */
function checkFrameType(frameType: number): void {
  if (frameType < VideoFrameType.KeyFrame || frameType > VideoFrameType.Command) {
    throw new RtmpProtocolError(`reserved video frame type ${frameType}`);
  }
}

function isKeyFrameType(frameType: number): boolean {
  return frameType === VideoFrameType.KeyFrame || frameType === VideoFrameType.GeneratedKeyFrame;
}

/**
 * Parses a video message payload (FLV VIDEODATA). Bodies are views of `payload`.
 * Malformed or truncated input throws `RtmpProtocolError`; too many tracks or ModEx blocks throw
 * `LimitExceededError`.
 */
export function parseVideoTag(payload: Buffer, options?: MediaTagOptions): VideoTag {
  const limits = resolveMediaTagOptions(options);
  return decodeOrThrowProtocolError('video tag', () => {
    const reader = new ByteReader(payload);
    const first = reader.u8();
    if ((first & 0x80) === 0) return parseLegacy(reader, first);

    const frameType = (first >> 4) & 0x07;
    const chain = readModExChain(reader, first & 0x0f, VideoPacketType.ModEx, limits.maxModExEntries);
    let packetType = chain.packetType;
    const common = { isExHeader: true, frameType, timestampOffsetNano: chain.timestampOffsetNano, modEx: chain.entries };

    if (frameType === VideoFrameType.Command && packetType !== VideoPacketType.Metadata) {
      // A command frame carries one VideoCommand byte and no FourCC or video.
      const command = reader.u8();
      return { ...common, isKeyframe: false, packetType, isSequenceHeader: false, command, multitrackType: undefined, tracks: [], codec: undefined, compositionTime: 0, body: payload.subarray(reader.offset, reader.offset) };
    }

    let multitrackType: number | undefined;
    let sharedFourCc: string | undefined;
    if (packetType === VideoPacketType.Multitrack) {
      const header = readMultitrackHeader(reader, VideoPacketType.Multitrack, VideoPacketType.ModEx);
      multitrackType = header.multitrackType;
      packetType = header.packetType;
      if (multitrackType !== AvMultitrackType.ManyTracksManyCodecs) sharedFourCc = readFourCc(reader);
    } else {
      sharedFourCc = readFourCc(reader);
    }
    if (packetType > VideoPacketType.Mpeg2TsSequenceStart) {
      throw new RtmpProtocolError(`reserved video packet type ${packetType}`);
    }
    // Metadata packets ignore the frame type; every other packet needs a defined one.
    if (packetType !== VideoPacketType.Metadata) checkFrameType(frameType);

    const tracks = readExTracks(reader, multitrackType, sharedFourCc, limits.maxTracks, (track, trackId, fourCc): VideoTrack => {
      const hasCts = packetType === VideoPacketType.CodedFrames && videoCodecHasCompositionTime(fourCc);
      const compositionTime = hasCts ? track.i24() : 0;
      return { trackId, codec: fourCc, compositionTime, body: track.bytes(track.remaining) };
    });
    const head = tracks[0]!;
    return {
      ...common,
      isKeyframe: packetType !== VideoPacketType.Metadata && isKeyFrameType(frameType),
      packetType,
      isSequenceHeader: packetType === VideoPacketType.SequenceStart || packetType === VideoPacketType.Mpeg2TsSequenceStart,
      command: undefined,
      multitrackType,
      tracks,
      codec: head.codec,
      compositionTime: head.compositionTime,
      body: head.body,
    };
  });
}

/** Legacy layout: `FrameType(4) CodecID(4)`, then for AVC `AVCPacketType SI24-cts`, then the data. */
function parseLegacy(reader: ByteReader, first: number): VideoTag {
  const frameType = first >> 4;
  const codecId = first & 0x0f;
  checkFrameType(frameType);
  const common = { isExHeader: false, frameType, timestampOffsetNano: 0, modEx: [], multitrackType: undefined };
  if (frameType === VideoFrameType.Command) {
    const command = reader.u8();
    const empty = reader.buffer.subarray(reader.offset, reader.offset);
    return { ...common, isKeyframe: false, packetType: undefined, isSequenceHeader: false, command, tracks: [], codec: codecId, compositionTime: 0, body: empty };
  }
  let packetType: number | undefined;
  let compositionTime = 0;
  if (codecId === VideoCodecId.Avc) {
    packetType = reader.u8();
    if (packetType > AvcPacketType.EndOfSequence) throw new RtmpProtocolError(`unknown AVCPacketType ${packetType}`);
    // The three bytes are always there; the FLV spec makes them meaningful only for NALU packets.
    const cts = reader.i24();
    if (packetType === AvcPacketType.Nalu) compositionTime = cts;
  }
  const body = reader.bytes(reader.remaining);
  return {
    ...common,
    isKeyframe: isKeyFrameType(frameType),
    packetType,
    isSequenceHeader: codecId === VideoCodecId.Avc && packetType === AvcPacketType.SequenceHeader,
    command: undefined,
    tracks: [{ trackId: 0, codec: codecId, compositionTime, body }],
    codec: codecId,
    compositionTime,
    body,
  };
}
