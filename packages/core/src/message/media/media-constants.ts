/**
 * Numbers used in FLV audio/video tag bodies (FLV spec v10.1 Annex E) and their Enhanced RTMP
 * extensions (veovera enhanced-rtmp v2). Each is an `as const` object with a derived union type.
 */

/** Video frame type: the top nibble of a legacy video tag, bits 6..4 of an Enhanced RTMP one. */
export const VideoFrameType = {
  KeyFrame: 1,
  InterFrame: 2,
  /** H.263 only. */
  DisposableInterFrame: 3,
  /** Reserved for servers. */
  GeneratedKeyFrame: 4,
  /** Video info/command frame: one VideoCommand byte, no video. */
  Command: 5,
} as const;
/** One of the `VideoFrameType` values. */
export type VideoFrameType = (typeof VideoFrameType)[keyof typeof VideoFrameType];

/** The byte after a command frame's header. */
export const VideoCommand = { StartSeek: 0, EndSeek: 1 } as const;
/** One of the `VideoCommand` values. */
export type VideoCommand = (typeof VideoCommand)[keyof typeof VideoCommand];

/** Legacy video CodecID (low nibble of byte 0 when IsExHeader is 0). */
export const VideoCodecId = {
  SorensonH263: 2,
  Screen: 3,
  On2Vp6: 4,
  On2Vp6Alpha: 5,
  ScreenV2: 6,
  Avc: 7,
} as const;
/** One of the `VideoCodecId` values. */
export type VideoCodecId = (typeof VideoCodecId)[keyof typeof VideoCodecId];

/** Legacy AVCPacketType (byte 1 of an AVC tag). The numbers match `VideoPacketType` 0..2. */
export const AvcPacketType = { SequenceHeader: 0, Nalu: 1, EndOfSequence: 2 } as const;
/** One of the `AvcPacketType` values. */
export type AvcPacketType = (typeof AvcPacketType)[keyof typeof AvcPacketType];

/** Enhanced RTMP VideoPacketType (low nibble of byte 0 when IsExHeader is 1). 8..15 are reserved. */
export const VideoPacketType = {
  SequenceStart: 0,
  /** For avc1/hvc1/vvc1 an SI24 composition time comes first. */
  CodedFrames: 1,
  SequenceEnd: 2,
  /** CodedFrames with the composition time left out (taken as 0). */
  CodedFramesX: 3,
  /** AMF-encoded metadata such as `colorInfo`; the frame type is ignored. */
  Metadata: 4,
  /** AV1 video descriptor (MPEG-2 TS carriage); never sent together with SequenceStart. */
  Mpeg2TsSequenceStart: 5,
  Multitrack: 6,
  ModEx: 7,
} as const;
/** One of the `VideoPacketType` values. */
export type VideoPacketType = (typeof VideoPacketType)[keyof typeof VideoPacketType];

/** Legacy SoundFormat (top nibble of an audio tag). 9 switches to the Enhanced RTMP ExHeader. */
export const SoundFormat = {
  PcmPlatformEndian: 0,
  Adpcm: 1,
  Mp3: 2,
  PcmLittleEndian: 3,
  Nellymoser16kMono: 4,
  Nellymoser8kMono: 5,
  Nellymoser: 6,
  G711ALaw: 7,
  G711MuLaw: 8,
  ExHeader: 9,
  Aac: 10,
  Speex: 11,
  Mp3_8k: 14,
  DeviceSpecific: 15,
} as const;
/** One of the `SoundFormat` values. */
export type SoundFormat = (typeof SoundFormat)[keyof typeof SoundFormat];

/** Legacy AACPacketType (byte 1 of an AAC tag). */
export const AacPacketType = { SequenceHeader: 0, Raw: 1 } as const;
/** One of the `AacPacketType` values. */
export type AacPacketType = (typeof AacPacketType)[keyof typeof AacPacketType];

/** Enhanced RTMP AudioPacketType (low nibble of byte 0 when SoundFormat is 9). 3, 6 and 8..15 are reserved. */
export const AudioPacketType = {
  SequenceStart: 0,
  CodedFrames: 1,
  SequenceEnd: 2,
  MultichannelConfig: 4,
  Multitrack: 5,
  ModEx: 7,
} as const;
/** One of the `AudioPacketType` values. */
export type AudioPacketType = (typeof AudioPacketType)[keyof typeof AudioPacketType];

/** Enhanced RTMP AvMultitrackType (top nibble of the byte after a Multitrack packet type). */
export const AvMultitrackType = { OneTrack: 0, ManyTracks: 1, ManyTracksManyCodecs: 2 } as const;
/** One of the `AvMultitrackType` values. */
export type AvMultitrackType = (typeof AvMultitrackType)[keyof typeof AvMultitrackType];

/** Enhanced RTMP ModEx type (top nibble of the byte after a ModEx block). */
export const ModExType = {
  /** Data starts with a UI24 nanosecond offset (0..999,999) added to the message's ms timestamp. */
  TimestampOffsetNano: 0,
} as const;
/** One of the `ModExType` values. */
export type ModExType = (typeof ModExType)[keyof typeof ModExType];

/** AudioChannelOrder in a MultichannelConfig packet. */
export const AudioChannelOrder = { Unspecified: 0, Native: 1, Custom: 2 } as const;
/** One of the `AudioChannelOrder` values. */
export type AudioChannelOrder = (typeof AudioChannelOrder)[keyof typeof AudioChannelOrder];
