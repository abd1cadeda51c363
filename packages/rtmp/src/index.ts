export { rtmp, openTcp, type RtmpTransportOptions } from './rtmp-transport.js';
export { socketChannel } from './socket-channel.js';
export { socketListener, listenOn, type SocketListenerOptions } from './socket-listener.js';
export { AsyncQueue } from './async-queue.js';
