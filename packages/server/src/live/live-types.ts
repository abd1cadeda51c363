import type { AmfValue, SharedEncoding, TransportScheme } from '@rtmpkit/core';

/**
 * One audio (8), video (9) or data (18, 15) message of a live stream, classified once by the
 * hub so no sink parses it again. Payloads are FLV tag bodies, shared (never copied) between
 * every sink.
 */
export interface MediaFrame {
  readonly type: number;
  /** Milliseconds, as the publisher sent them. */
  readonly timestamp: number;
  readonly payload: Buffer;
  /** A video keyframe (not a sequence header): a player may start here. */
  readonly keyframe: boolean;
  /**
   * Decoder configuration or stream description: AVC/HEVC/AAC sequence headers, Enhanced RTMP
   * SequenceStart, MultichannelConfig and video Metadata packets, `onMetaData`. Never dropped.
   */
  readonly header: boolean;
}

/** A frame on its way to the sinks, with the fan-out cache of its chunk encodings. */
export interface LiveMessage extends MediaFrame {
  /**
   * One per message: sinks that chunk-encode pass it to `NetStream.send(message, { shared })`,
   * so every RTMP player with the same chunk size writes the same bytes.
   */
  readonly shared: SharedEncoding;
}

/** Who publishes a live stream. */
export interface PublisherInfo {
  /** The server's session id (`undefined` for publishers that are not RTMP sessions, e.g. a pull relay). */
  sessionId: string | undefined;
  /** `address:port` of the peer, or a description (`relay from rtmp://…`). */
  remote: string;
  scheme: TransportScheme | string;
  /** The publish type the client asked for (`live`, `record`, `append`); undefined for other publishers. */
  type?: string;
}

/** What a sink is told when a publisher starts (or takes over). */
export interface PublishedEvent {
  app: string;
  name: string;
  publisher: PublisherInfo;
  /** True when this publisher replaced another one that was still live (takeover). */
  takeover: boolean;
}

/**
 * Anything that consumes a live stream: an RTMP player, an HTTP-FLV response, a recorder, a
 * relay pushing to another server. The hub calls it synchronously for every message and never
 * waits for it: a sink buffers (boundedly) or drops on its own — `PlayerQueue` does that for
 * any sink — so a slow sink never holds the publisher or the other sinks.
 *
 * What a sink gets, in order: when it joins a stream that is live, `onMetaData`, the sequence
 * headers, then the cached GOP from its last keyframe (if the cache holds one), then live
 * messages. When the publisher goes: `unpublished()`; when one comes (again): `published()`,
 * then its messages as they come (metadata and sequence headers first, as publishers send them).
 */
export interface MediaSink {
  /** For logs and the API: `rtmp`, `http-flv`, `recorder`, `relay`. */
  readonly kind: string;
  /** Delivers one message; must not throw (a sink that throws is closed and removed). */
  write(message: LiveMessage): void;
  /** A publisher started (or took over); its messages follow. */
  published?(event: PublishedEvent): void;
  /** The publisher is gone; the sink stays subscribed for the next one unless it closes itself. */
  unpublished?(): void;
  /**
   * The hub drops the sink for good (server shutting down, stream removed), with the reason.
   * A returned promise is awaited (bounded by the shutdown timeout), so recorders can flush.
   */
  close(reason: string): void | Promise<void>;
  /** Counters for the stats surface (optional). */
  stats?(): SinkStats;
}

/** What a sink reports about itself. */
export interface SinkStats {
  /** Payload bytes delivered. */
  bytesOut: number;
  /** Messages delivered. */
  messagesOut: number;
  /** Frames dropped because the sink was behind. */
  dropped: number;
  /** Bytes held waiting for the consumer. */
  queuedBytes: number;
  /** The most bytes ever held at once. */
  peakQueuedBytes: number;
}

/** Video or audio codec facts gathered from sequence headers, tags and `onMetaData`. */
export interface CodecInfo {
  /** `h264`, `hevc`, `av1`, `vp9`, `aac`, `opus`, `mp3`, … (or the raw id / FourCC when unknown). */
  codec: string;
  width?: number;
  height?: number;
  frameRate?: number;
  sampleRate?: number;
  channels?: number;
}

/** A snapshot of one live stream, for the API and metrics. */
export interface LiveStreamInfo {
  app: string;
  name: string;
  /** True while someone publishes. */
  live: boolean;
  /** When the current publisher started (ms since epoch), undefined while nobody publishes. */
  publishedAt: number | undefined;
  /** Milliseconds since `publishedAt` (0 while nobody publishes). */
  uptimeMs: number;
  publisher: PublisherInfo | undefined;
  /** The last `onMetaData` (undefined until one came). */
  metadata: Record<string, AmfValue> | undefined;
  video: CodecInfo | undefined;
  audio: CodecInfo | undefined;
  /** Incoming bits per second over the last few seconds. */
  bitrate: number;
  /** Sinks by kind (`{ rtmp: 3, recorder: 1 }`). */
  sinks: Record<string, number>;
  /** RTMP players (and other sinks of kind `rtmp`). */
  players: number;
  /** Payload bytes received from the current and earlier publishers of this name. */
  bytesIn: number;
  /** Payload bytes delivered to every sink. */
  bytesOut: number;
  /** Frames dropped for slow sinks. */
  dropped: number;
  /** The cached GOP: messages, payload bytes and the span in ms. */
  gop: { messages: number; bytes: number; durationMs: number };
}
