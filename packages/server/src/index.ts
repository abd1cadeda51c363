/**
 * `@rtmpkit/server`: a live media server over any set of rtmpkit transports.
 *
 * @packageDocumentation
 */
export { createServer, RtmpServer, type ServerState } from './server/rtmp-server.js';
export type { ServerOptions, TransportConfig } from './server/server-options.js';
export type { ServerPlugin } from './server/plugin.js';
export type { LoggerOption } from './server/logger.js';
export { ServerEvents, type ServerEventMap, type ServerEventName } from './server/events.js';
export { ServerListenError, ServerStateError } from './server/errors.js';

export { LiveHub, LIVE_DEFAULTS, type LiveOptions, type LiveHubEvents, type Subscription } from './live/live-hub.js';
export { LiveStream, type SubscribeOptions } from './live/live-stream.js';
export { Publication, type PublicationOwner, type UnpublishReason } from './live/publication.js';
export { GopCache, GOP_CACHE_DEFAULTS, type GopCacheOptions } from './live/gop-cache.js';
export { classifyMessage, type Classified } from './live/media-classifier.js';
export type {
  MediaSink,
  MediaFrame,
  LiveMessage,
  SinkStats,
  PublisherInfo,
  PublishedEvent,
  CodecInfo,
  LiveStreamInfo,
} from './live/live-types.js';

export { PlayerQueue, PLAYER_QUEUE_DEFAULTS, type PlayerQueueOptions, type QueueEntry, type OfferResult } from './play/player-queue.js';
export { RtmpPlayerSink, type RtmpPlayerSinkOptions } from './play/rtmp-player-sink.js';
export type { PlaySource, PlaySourceRequest, PlaybackHandle } from './play/play-sources.js';

export type {
  AuthOptions,
  AuthDecision,
  AuthHook,
  ClientInfo,
  PublishAuthRequest,
  PlayAuthRequest,
  SignedUrlOptions,
} from './auth/auth-types.js';
export {
  signStream,
  signStreamUrl,
  streamSignature,
  verifyStreamSignature,
  type SignOptions,
  type SignatureCheck,
  type SignatureProblem,
} from './auth/signed-url.js';

export type { ServerStats, ServerCounters, SessionInfo, PlayInfo } from './stats/stats-types.js';
export * from './http/index.js';
export * from './vod/index.js';
export * from './record/index.js';
export * from './relay/index.js';
