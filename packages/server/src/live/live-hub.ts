import { LimitExceededError, StreamRejectedError } from '@rtmpkit/core';
import type { GopCacheOptions } from './gop-cache.js';
import { LiveStream, type LiveStreamListener, type SubscribeOptions } from './live-stream.js';
import type { LiveStreamInfo, MediaSink, PublisherInfo } from './live-types.js';
import { Publication, type PublicationOwner, type UnpublishReason } from './publication.js';

/** Settings of the live hub. */
export interface LiveOptions {
  /**
   * A second publisher of a name that is live takes it over (the first one's connection is
   * closed; players stay and continue with the new one). Default false: the second publisher
   * gets `NetStream.Publish.BadName`.
   */
  takeover?: boolean;
  /** No audio or video from a publisher for this long (ms) ends its publication and closes it. Default 30 000; 0 = never. */
  idlePublisherTimeoutMs?: number;
  /** Bounds of the GOP cache, or false for none (new players then wait for the next keyframe). */
  gopCache?: GopCacheOptions | false;
  /** Sinks (players, recorders, …) one stream may have. Default 1000. */
  maxSinksPerStream?: number;
  /** Live streams (published or waited for) at once. Default 10 000. */
  maxStreams?: number;
}

/** The defaults of `LiveOptions` (the GOP cache's are `GOP_CACHE_DEFAULTS`). */
export const LIVE_DEFAULTS = Object.freeze({
  takeover: false,
  idlePublisherTimeoutMs: 30_000,
  maxSinksPerStream: 1000,
  maxStreams: 10_000,
});

/** What the hub tells the server (events, counters, logs). */
export interface LiveHubEvents {
  published?(info: { app: string; name: string; publisher: PublisherInfo; takeover: boolean }): void;
  unpublished?(info: { app: string; name: string; publisher: PublisherInfo; reason: UnpublishReason }): void;
  sinkFailed?(info: { app: string; name: string; kind: string; error: unknown }): void;
  unparsed?(info: { app: string; name: string }): void;
}

/** Returned by `subscribe`: ends the subscription (the sink is not closed). */
export interface Subscription {
  readonly stream: LiveStream;
  unsubscribe(): void;
}

/**
 * Live streams keyed by app + name. One publisher per name (or takeover, when configured);
 * any number of sinks, which may subscribe before anyone publishes and stay across publishers.
 * Everything here is synchronous: the transports and sinks do the waiting.
 */
export class LiveHub {
  private readonly streams = new Map<string, LiveStream>();
  private readonly options: Required<Omit<LiveOptions, 'gopCache'>> & { gopCache: GopCacheOptions | false };
  private closing = false;
  private readonly streamListener: LiveStreamListener;

  constructor(
    options: LiveOptions = {},
    private readonly events: LiveHubEvents = {},
  ) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...LIVE_DEFAULTS, gopCache: {}, ...defined };
    for (const key of ['idlePublisherTimeoutMs', 'maxSinksPerStream', 'maxStreams'] as const) {
      const value = this.options[key];
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`live.${key} must be a non-negative integer, got ${String(value)}`);
    }
    this.streamListener = {
      sinkFailed: (stream, sink, error) => this.events.sinkFailed?.({ app: stream.app, name: stream.name, kind: sink.kind, error }),
      unpublished: (stream, publication, reason) =>
        this.events.unpublished?.({ app: stream.app, name: stream.name, publisher: publication.publisher, reason }),
      empty: (stream) => {
        if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
      },
      unparsed: (stream) => this.events.unparsed?.({ app: stream.app, name: stream.name }),
    };
  }

  /**
   * Starts publishing `app/name`. Throws `StreamRejectedError` (`NetStream.Publish.BadName`) when
   * someone publishes it already and takeover is off, or when the hub is full or closing. With
   * takeover, the current publication is evicted (its owner is told to close) first.
   */
  publish(app: string, name: string, publisher: PublisherInfo, owner: PublicationOwner): Publication {
    if (this.closing) throw new StreamRejectedError('NetStream.Publish.BadName', 'The server is shutting down.');
    const stream = this.streamFor(app, name, 'NetStream.Publish.BadName');
    const current = stream.publication;
    let takeover = false;
    if (current?.active) {
      if (!this.options.takeover) throw new StreamRejectedError('NetStream.Publish.BadName', `${name} is already being published.`);
      current.evict('takeover');
      takeover = true;
    }
    const publication = new Publication(app, name, publisher, owner, stream, this.options.idlePublisherTimeoutMs);
    stream.begin(publication, takeover);
    this.events.published?.({ app, name, publisher, takeover });
    return publication;
  }

  /**
   * Adds a sink to `app/name`, live or not (it waits for a publisher). Throws
   * `LimitExceededError` past `maxSinksPerStream` or `maxStreams`.
   */
  subscribe(app: string, name: string, sink: MediaSink, options: SubscribeOptions = {}): Subscription {
    if (this.closing) throw new StreamRejectedError('NetStream.Play.Failed', 'The server is shutting down.');
    const max = this.options.maxSinksPerStream;
    const sinks = this.get(app, name)?.sinkCount ?? 0;
    if (sinks >= max) throw new LimitExceededError('live.maxSinksPerStream', max, `${app}/${name} has ${sinks} sinks already`);
    const stream = this.streamFor(app, name, 'NetStream.Play.Failed');
    stream.addSink(sink, options);
    return { stream, unsubscribe: () => stream.removeSink(sink) };
  }

  /** The stream `app/name`, if it is published or waited for. */
  get(app: string, name: string): LiveStream | undefined {
    return this.streams.get(`${app}/${name}`);
  }

  /** True when someone publishes `app/name` now. */
  isLive(app: string, name: string): boolean {
    return this.get(app, name)?.live === true;
  }

  /** Snapshots of every stream (only the published ones unless `all`). */
  list(options: { all?: boolean } = {}): LiveStreamInfo[] {
    return [...this.streams.values()].filter((stream) => options.all || stream.live).map((stream) => stream.info());
  }

  /** Streams known (published or waited for). */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Shutdown: refuses new publishers and sinks, evicts every publisher (reason `shutdown`) and
   * closes every sink; resolves when the sinks' `close` promises settled.
   */
  async close(reason = 'server shutting down'): Promise<void> {
    this.closing = true;
    const streams = [...this.streams.values()];
    for (const stream of streams) stream.publication?.evict('shutdown');
    await Promise.all(streams.map((stream) => stream.closeSinks(reason)));
    this.streams.clear();
  }

  private streamFor(app: string, name: string, failCode: string): LiveStream {
    const key = `${app}/${name}`;
    let stream = this.streams.get(key);
    if (!stream) {
      if (this.streams.size >= this.options.maxStreams) {
        throw new StreamRejectedError(failCode, `Too many live streams (live.maxStreams = ${this.options.maxStreams}).`);
      }
      stream = new LiveStream(app, name, this.options.gopCache, this.streamListener);
      this.streams.set(key, stream);
    }
    return stream;
  }
}
