import { ByteWriter } from '../../bytes/index.js';
import { assertIntegerInRange } from '../encode-checks.js';
import type { ModExEntry } from './ex-header.js';
import { modExEntriesFor, sizedWriter, writeExTracks, writeModExEntries, writeMultitrackHeader, type ExTrackBytes } from './ex-header-writer.js';
import { videoCodecHasCompositionTime } from './fourcc.js';
import { AvcPacketType, VideoCodecId, VideoFrameType, VideoPacketType } from './media-constants.js';

const SI24_MIN = -0x800000;
const SI24_MAX = 0x7fffff;

/** A legacy (non-Enhanced) video tag to build. */
export interface LegacyVideoTagInit {
  /** See `VideoFrameType` (1..5). */
  frameType: number;
  /** See `VideoCodecId` (0..15). */
  codecId: number;
  /** AVC only: the AVCPacketType (default 1, NALUs). */
  packetType?: number;
  /** AVC only: SI24 composition time in ms (default 0). */
  compositionTime?: number;
  /** Frame type 5 only: the VideoCommand byte. */
  command?: number;
  /** The codec data after the header. */
  body?: Uint8Array;
}

/** Builds a legacy video tag body: `FrameType|CodecID`, then `AVCPacketType cts` for AVC, then the data. */
export function encodeLegacyVideoTag(init: LegacyVideoTagInit): Buffer {
  assertIntegerInRange('frameType', init.frameType, 1, VideoFrameType.Command);
  assertIntegerInRange('codecId', init.codecId, 0, 15);
  const body = init.body ?? new Uint8Array(0);
  const writer = sizedWriter(body.length);
  writer.u8((init.frameType << 4) | init.codecId);
  if (init.frameType === VideoFrameType.Command) {
    assertIntegerInRange('command', init.command ?? -1, 0, 0xff);
    return writer.u8(init.command!).finish();
  }
  if (init.codecId === VideoCodecId.Avc) {
    const packetType = init.packetType ?? AvcPacketType.Nalu;
    assertIntegerInRange('packetType', packetType, 0, AvcPacketType.EndOfSequence);
    const cts = init.compositionTime ?? 0;
    assertIntegerInRange('compositionTime', cts, SI24_MIN, SI24_MAX);
    writer.u8(packetType).u24(cts);
  }
  return writer.bytes(body).finish();
}

/** One track of an Enhanced RTMP video tag to build. */
export interface ExVideoTrackInit {
  /** Track id, 0..255 (only written for multitrack tags). */
  trackId?: number;
  fourCc: string;
  /** SI24 ms; written only for CodedFrames of avc1/hvc1/vvc1. */
  compositionTime?: number;
  body?: Uint8Array;
}

/** An Enhanced RTMP video tag to build; the shape mirrors what `parseVideoTag` returns. */
export interface ExVideoTagInit {
  /** See `VideoFrameType` (1..5); 3 bits. */
  frameType: number;
  /** The real packet type (0..5), not ModEx or Multitrack: those follow from `modEx` and `multitrackType`. */
  packetType: number;
  /** ModEx blocks to put in front. */
  modEx?: ModExEntry[];
  /** Shorthand for one TimestampOffsetNano ModEx block (0..999,999 ns). */
  timestampOffsetNano?: number;
  /** Set to write a Multitrack tag of this AvMultitrackType. */
  multitrackType?: number;
  /** The tracks: exactly one unless multitrack. Omitted for a command frame. */
  tracks?: ExVideoTrackInit[];
  /** Frame type 5 (with a packet type other than Metadata): the VideoCommand byte; no FourCC follows. */
  command?: number;
}

/** Builds an Enhanced RTMP video tag body (IsExHeader set). */
export function encodeExVideoTag(init: ExVideoTagInit): Buffer {
  assertIntegerInRange('packetType', init.packetType, 0, VideoPacketType.Mpeg2TsSequenceStart);
  // Metadata packets ignore the frame type, so any 3-bit value goes; otherwise only 1..5 are defined.
  const isMetadata = init.packetType === VideoPacketType.Metadata;
  assertIntegerInRange('frameType', init.frameType, isMetadata ? 0 : 1, isMetadata ? 7 : VideoFrameType.Command);
  const modEx = modExEntriesFor(init.modEx, init.timestampOffsetNano);
  const isCommand = init.frameType === VideoFrameType.Command && !isMetadata;
  if (init.frameType === VideoFrameType.Command && init.multitrackType !== undefined) {
    // Readers check for a command frame before Multitrack, so this could not be read back.
    throw new RangeError('a command frame (frame type 5) cannot be multitrack');
  }
  const afterModEx = !isCommand && init.multitrackType !== undefined ? VideoPacketType.Multitrack : init.packetType;
  const firstPacketType = modEx.length > 0 ? VideoPacketType.ModEx : afterModEx;

  const tracks = (init.tracks ?? []).map((track): ExTrackBytes => trackBytes(track, init.packetType));
  const writer = sizedWriter(tracks.reduce((sum, track) => sum + track.bytes.length + 8, 0));
  writer.u8(0x80 | (init.frameType << 4) | firstPacketType);
  writeModExEntries(writer, modEx, afterModEx, VideoPacketType.ModEx);
  if (isCommand) {
    assertIntegerInRange('command', init.command ?? -1, 0, 0xff);
    return writer.u8(init.command!).finish();
  }
  if (init.multitrackType !== undefined) writeMultitrackHeader(writer, init.multitrackType, init.packetType);
  writeExTracks(writer, init.multitrackType, tracks);
  return writer.finish();
}

function trackBytes(track: ExVideoTrackInit, packetType: number): ExTrackBytes {
  const body = track.body ?? new Uint8Array(0);
  if (packetType !== VideoPacketType.CodedFrames || !videoCodecHasCompositionTime(track.fourCc)) {
    if ((track.compositionTime ?? 0) !== 0) {
      throw new RangeError(`${track.fourCc} packet type ${packetType} has no composition time field; use CodedFrames of avc1/hvc1/vvc1`);
    }
    return { trackId: track.trackId, fourCc: track.fourCc, bytes: body };
  }
  const cts = track.compositionTime ?? 0;
  assertIntegerInRange('compositionTime', cts, SI24_MIN, SI24_MAX);
  const bytes = new ByteWriter(body.length + 3).u24(cts).bytes(body).finish();
  return { trackId: track.trackId, fourCc: track.fourCc, bytes };
}

/** `17 00 00 00 00 <avcC>`: an AVC sequence header (AVCDecoderConfigurationRecord). */
export function buildAvcSequenceHeader(decoderConfig: Uint8Array): Buffer {
  return encodeLegacyVideoTag({ frameType: VideoFrameType.KeyFrame, codecId: VideoCodecId.Avc, packetType: AvcPacketType.SequenceHeader, body: decoderConfig });
}

/** `17 01 <cts>` (key) or `27 01 <cts>` (inter), then length-prefixed NAL units. */
export function buildAvcVideoFrame(frame: { keyframe: boolean; compositionTime?: number; data: Uint8Array }): Buffer {
  const frameType = frame.keyframe ? VideoFrameType.KeyFrame : VideoFrameType.InterFrame;
  return encodeLegacyVideoTag({ frameType, codecId: VideoCodecId.Avc, packetType: AvcPacketType.Nalu, compositionTime: frame.compositionTime ?? 0, body: frame.data });
}

/** `17 02 00 00 00`: AVC end of sequence. */
export function buildAvcEndOfSequence(): Buffer {
  return encodeLegacyVideoTag({ frameType: VideoFrameType.KeyFrame, codecId: VideoCodecId.Avc, packetType: AvcPacketType.EndOfSequence });
}

/** `0x90 <FourCC> <config>`: Enhanced RTMP SequenceStart (e.g. hvcC, av1C, vpcC). */
export function buildExVideoSequenceStart(fourCc: string, decoderConfig: Uint8Array): Buffer {
  return encodeExVideoTag({ frameType: VideoFrameType.KeyFrame, packetType: VideoPacketType.SequenceStart, tracks: [{ fourCc, body: decoderConfig }] });
}

/**
 * An Enhanced RTMP coded frame. For avc1/hvc1/vvc1 a zero composition time uses CodedFramesX
 * (`0x93`/`0xA3`, no cts on the wire) and any other uses CodedFrames with the SI24 cts.
 */
export function buildExVideoCodedFrames(frame: { fourCc: string; keyframe: boolean; compositionTime?: number; data: Uint8Array }): Buffer {
  const frameType = frame.keyframe ? VideoFrameType.KeyFrame : VideoFrameType.InterFrame;
  const cts = frame.compositionTime ?? 0;
  const packetType = videoCodecHasCompositionTime(frame.fourCc) && cts === 0 ? VideoPacketType.CodedFramesX : VideoPacketType.CodedFrames;
  return encodeExVideoTag({ frameType, packetType, tracks: [{ fourCc: frame.fourCc, compositionTime: cts, body: frame.data }] });
}

/** `0x92 <FourCC>`: Enhanced RTMP SequenceEnd. */
export function buildExVideoSequenceEnd(fourCc: string): Buffer {
  return encodeExVideoTag({ frameType: VideoFrameType.KeyFrame, packetType: VideoPacketType.SequenceEnd, tracks: [{ fourCc }] });
}
