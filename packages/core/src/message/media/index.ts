export {
  VideoFrameType,
  VideoCommand,
  VideoCodecId,
  AvcPacketType,
  VideoPacketType,
  SoundFormat,
  AacPacketType,
  AudioPacketType,
  AvMultitrackType,
  ModExType,
  AudioChannelOrder,
} from './media-constants.js';
export { VideoFourCc, AudioFourCc, fourCcToNumber, fourCcFromNumber, videoCodecHasCompositionTime } from './fourcc.js';
export { FLV_TAG_HEADER_SIZE, FLV_BACK_POINTER_SIZE, readFlvTagHeader, writeFlvTagHeader, type FlvTagHeader } from './flv-tag-header.js';
export type { ModExEntry } from './ex-header.js';
export { MAX_MODEX_DATA_SIZE } from './ex-header-writer.js';
export type { MediaTagOptions } from './media-options.js';
export { parseVideoTag, type VideoTag, type VideoTrack } from './video-tag.js';
export { parseAudioTag, type AudioTag, type AudioTrack, type MultichannelConfig } from './audio-tag.js';
export {
  encodeLegacyVideoTag,
  encodeExVideoTag,
  buildAvcSequenceHeader,
  buildAvcVideoFrame,
  buildAvcEndOfSequence,
  buildExVideoSequenceStart,
  buildExVideoCodedFrames,
  buildExVideoSequenceEnd,
  type LegacyVideoTagInit,
  type ExVideoTagInit,
  type ExVideoTrackInit,
} from './video-tag-writer.js';
export {
  encodeLegacyAudioTag,
  encodeExAudioTag,
  encodeMultichannelConfig,
  buildAacSequenceHeader,
  buildAacAudioFrame,
  buildExAudioSequenceStart,
  buildExAudioCodedFrames,
  type LegacyAudioTagInit,
  type ExAudioTagInit,
  type ExAudioTrackInit,
} from './audio-tag-writer.js';
export { COLOR_INFO, decodeVideoMetadata, encodeVideoMetadata, type VideoMetadataEntry } from './video-metadata.js';
