// Errors
export { TunnelError } from './errors.js';

// The wire format
export { RTMPT_CONTENT_TYPE } from './protocol/constants.js';
export { DEFAULT_POLLING_STEPS, PollingDelay, type PollingDelayOptions } from './protocol/polling-delay.js';

// Server side: a request handler to mount, or a standalone HTTP(S) server
export {
  DEFAULT_TUNNEL_SERVER_LIMITS,
  type TunnelChannel,
  type TunnelServerLimits,
  type TunnelServerOptions,
} from './server/server-options.js';
export { createTunnelServer, type TunnelServer } from './server/tunnel-server.js';
export type { HttpFrontOptions } from './server/http-front.js';
export { listenTunnel, type ListenTunnelOptions, type TunnelListener } from './server/listen-tunnel.js';

// Client side
export { DEFAULT_TUNNEL_CLIENT_LIMITS, type TunnelClientLimits, type TunnelClientOptions } from './client/client-options.js';
export type { TunnelClientChannel } from './client/client-tunnel.js';
export { tunnelClientChannel } from './client/tunnel-client-channel.js';

// The rtmpkit transports
export { createRtmptHandler, type RtmptHandler, type RtmptHandlerOptions, type TunnelSettings } from './transport/rtmpt-handler.js';
export { rtmpt, rtmpts, type RtmptTransportOptions } from './transport/rtmpt-transport.js';

// Building blocks for variants over the tunnel (RTMPTE in @rtmpkit/rtmpe)
export {
  createTunnelSessionHandler,
  type TunnelSessionHandler,
  type TunnelSessionHandlerOptions,
} from './transport/tunnel-session-handler.js';
export { listenTunnelSessions } from './transport/listen-tunnel-sessions.js';
