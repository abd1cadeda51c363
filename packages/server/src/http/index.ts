/** The HTTP side of the media server: HTTP-FLV, the JSON API, metrics, the dashboard, RTMPT on one port. */
export { http, type HttpPlugin } from './http-plugin.js';
export { HTTP_DEFAULTS, resolveHttpOptions, type HttpOptions, type HttpTunnelMode, type ResolvedHttpOptions } from './http-options.js';
export type { HttpAuthOptions, HttpPlayRequest } from './http-auth.js';
export { HttpFlvSink, type HttpFlvSinkOptions } from './http-flv-sink.js';
export type { FlvPlayers, FlvPlayerInfo, FlvCounters } from './flv-players.js';
export { flvPathOf } from './api-routes.js';
