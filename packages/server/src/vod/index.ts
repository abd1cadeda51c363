export { vod, VodSource } from './vod-source.js';
export { VOD_DEFAULTS, type VodOptions } from './vod-options.js';
export { VodPlayback, type VodFile, type VodPlaybackInit } from './vod-playback.js';
export { bareFlvName, mediaFilePath, insideRoot } from './media-path.js';
export { sendPlayComplete, sendStreamEof } from './play-status.js';
