export {
  FLV_HEADER_SIZE,
  FLV_DEFAULT_DATA_OFFSET,
  FLV_MAX_TAG_SIZE,
  DEFAULT_MAX_TAG_SIZE,
  FlvTagType,
  isFlvTagType,
  isMediaTagType,
} from './constants.js';
export { parseFlvHeader, encodeFlvHeader, flvHeaderFlags, FLV_HEADER_FLAGS_OFFSET, type FlvHeader } from './flv-header.js';
export { encodeFlvTag, flvTagSize, type FlvTag } from './flv-tag.js';
export type { FlvParseOptions, FlvTruncation, TruncatedFileMode } from './reader-options.js';
export { FlvReader, type FlvReaderOptions, type FlvTagHandler } from './flv-reader.js';
export { readFlvFile, type ReadFlvFileOptions } from './read-flv-file.js';
export { FlvIndex, type FlvKeyframe, type FlvIndexInit } from './flv-index.js';
export { indexFlvFile, type IndexFlvFileOptions } from './index-flv-file.js';
export { repairFlvFile, type FlvRepair } from './repair-flv-file.js';
export { MediaTimeline } from './media-timeline.js';
export { isOnMetaData, decodeOnMetaData, locateMetadataNumbers } from './metadata.js';
export { toFileData } from './file-data.js';
export { FlvWriter, type FlvWriterOptions } from './flv-writer.js';
export {
  FlvFileRecorder,
  type FlvFileRecorderOptions,
  type FlvRecordingSummary,
  type MetadataFieldUpdate,
} from './flv-file-recorder.js';
