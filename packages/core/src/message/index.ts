export type { RtmpMessage } from './rtmp-message.js';
