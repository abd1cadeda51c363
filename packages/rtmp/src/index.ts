export { rtmp, openTcp, type RtmpTransportOptions } from './rtmp-transport.js';
export { socketChannel } from './socket-channel.js';
export { socketListener, listenOn, type SocketListenerOptions } from './socket-listener.js';
// Kept for compatibility: the queue now lives in @rtmpkit/core.
export { AsyncQueue } from '@rtmpkit/core';
