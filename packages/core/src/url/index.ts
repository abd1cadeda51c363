export { parseRtmpUrl, InvalidUrlError, DEFAULT_PORTS, type RtmpUrl } from './rtmp-url.js';
