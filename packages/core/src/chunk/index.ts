export { DEFAULT_CHUNK_SIZE } from './chunk-constants.js';
export { ChunkDecoder, type ChunkMessageListener } from './chunk-decoder.js';
export {
  CHUNK_DECODER_DEFAULTS,
  type ChunkDecoderOptions,
  type ExtendedTimestampMode,
} from './chunk-decoder-options.js';
export { ChunkEncoder, type ChunkEncoderOptions } from './chunk-encoder.js';
export { encodeMessageChunks } from './chunk-writer.js';
