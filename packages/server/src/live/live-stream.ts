import type { AmfValue, RtmpMessage } from '@rtmpkit/core';
import { BitrateMeter } from './bitrate-meter.js';
import { GopCache, type GopCacheOptions } from './gop-cache.js';
import type { CodecInfo, LiveMessage, LiveStreamInfo, MediaFrame, MediaSink, PublishedEvent } from './live-types.js';
import { classifyMessage, metadataFacts } from './media-classifier.js';
import type { Publication, PublicationHost, UnpublishReason } from './publication.js';

/** What a stream reports to its hub. */
export interface LiveStreamListener {
  /** A sink threw or failed; it was removed. */
  sinkFailed(stream: LiveStream, sink: MediaSink, error: unknown): void;
  /** A publication ended (for events and counters). */
  unpublished(stream: LiveStream, publication: Publication, reason: UnpublishReason): void;
  /** Neither publisher nor sinks are left: the hub may forget the stream. */
  empty(stream: LiveStream): void;
  /** A message that did not parse was forwarded as it is. */
  unparsed(stream: LiveStream): void;
}

/** Options of a subscription. */
export interface SubscribeOptions {
  /** Replay the cached GOP to this sink when it joins a live stream. Default true. */
  gop?: boolean;
}

/** Tallies of sinks that left, so stream totals do not go down when a player leaves. */
interface Departed {
  bytesOut: number;
  dropped: number;
}

/**
 * One live stream (app + name): its current publication, what a new player needs to start
 * (metadata, sequence headers, GOP), and its sinks. Every message is classified once and fanned
 * out to every sink with one fan-out cache (`SharedEncoding`) per message, so RTMP players with
 * the same chunk size share one chunk encoding.
 */
export class LiveStream implements PublicationHost {
  publication: Publication | undefined;
  private readonly sinks = new Set<MediaSink>();
  private metadataFrame: MediaFrame | undefined;
  private metadata: Record<string, AmfValue> | undefined;
  private readonly headers = new Map<string, MediaFrame>();
  private readonly gop: GopCache;
  private video: CodecInfo | undefined;
  private audio: CodecInfo | undefined;
  private lastTimestamp = 0;
  private bytesIn = 0;
  private readonly departed: Departed = { bytesOut: 0, dropped: 0 };
  private readonly meter = new BitrateMeter();

  constructor(
    readonly app: string,
    readonly name: string,
    gopOptions: GopCacheOptions | false,
    private readonly listener: LiveStreamListener,
  ) {
    this.gop = new GopCache(gopOptions === false ? { maxBytes: 0 } : gopOptions);
  }

  /** `app/name`, the hub's key. */
  get key(): string {
    return `${this.app}/${this.name}`;
  }

  get live(): boolean {
    return this.publication?.active === true;
  }

  get sinkCount(): number {
    return this.sinks.size;
  }

  /** The sinks, for the hub (do not modify). */
  get allSinks(): ReadonlySet<MediaSink> {
    return this.sinks;
  }

  // ---- publications -----------------------------------------------------------------------

  /** A publication begins (the previous one, if any, has ended). */
  begin(publication: Publication, takeover: boolean): void {
    this.publication = publication;
    this.forgetMedia();
    this.meter.reset();
    const event: PublishedEvent = { app: this.app, name: this.name, publisher: publication.publisher, takeover };
    for (const sink of [...this.sinks]) this.call(sink, () => sink.published?.(event));
  }

  deliver(publication: Publication, message: RtmpMessage): void {
    if (publication !== this.publication) return;
    const classified = classifyMessage(message);
    const { frame } = classified;
    if (classified.unparsed) this.listener.unparsed(this);
    this.bytesIn += message.payload.length;
    this.meter.add(message.payload.length);
    if (frame.type === 8 || frame.type === 9) this.lastTimestamp = frame.timestamp;
    if (classified.video) this.video = { ...this.video, ...classified.video };
    if (classified.audio) this.audio = { ...this.audio, ...classified.audio };
    if (classified.data?.kind === 'clear') {
      this.metadataFrame = this.metadata = undefined;
      return;
    }
    if (classified.data?.kind === 'metadata') {
      this.metadataFrame = frame;
      this.metadata = classified.data.metadata;
      if (this.metadata) this.applyMetadata(this.metadata);
    } else if (classified.headerSlot !== undefined) {
      this.headers.set(classified.headerSlot, frame);
    } else {
      this.gop.add(frame);
    }
    this.fanOut({ ...frame, shared: new Map() });
  }

  finished(publication: Publication, reason: UnpublishReason): void {
    if (publication !== this.publication) return;
    this.publication = undefined;
    this.forgetMedia();
    // On takeover the players stay and the new publisher's start is announced instead; on
    // shutdown they are closed right after.
    if (reason === 'ended' || reason === 'idle') {
      for (const sink of [...this.sinks]) this.call(sink, () => sink.unpublished?.());
    }
    this.listener.unpublished(this, publication, reason);
    if (reason !== 'takeover') this.checkEmpty();
  }

  // ---- sinks --------------------------------------------------------------------------------

  /**
   * Adds a sink. If the stream is live it gets `onMetaData`, the sequence headers and (unless
   * `gop: false`) the cached GOP first, all stamped no later than the GOP's first frame.
   */
  addSink(sink: MediaSink, options: SubscribeOptions = {}): void {
    if (this.live) {
      const gop = options.gop === false ? [] : this.gop.gop;
      const startTimestamp = gop[0]?.timestamp ?? this.lastTimestamp;
      const starters: MediaFrame[] = [];
      if (this.metadataFrame) starters.push(this.metadataFrame);
      starters.push(...this.headers.values());
      for (const frame of starters) {
        if (!this.call(sink, () => sink.write({ ...frame, timestamp: Math.min(frame.timestamp, startTimestamp), shared: new Map() }))) return;
      }
      for (const frame of gop) {
        if (!this.call(sink, () => sink.write({ ...frame, shared: new Map() }))) return;
      }
    }
    this.sinks.add(sink);
  }

  /** Removes a sink (it is not closed: the caller owns it). */
  removeSink(sink: MediaSink): void {
    if (!this.sinks.delete(sink)) return;
    this.tallyDeparture(sink);
    this.checkEmpty();
  }

  /** Closes and removes every sink (server shutdown); resolves when their `close` settled. */
  async closeSinks(reason: string): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const sink of [...this.sinks]) {
      this.sinks.delete(sink);
      this.tallyDeparture(sink);
      try {
        closing.push(Promise.resolve(sink.close(reason)).catch(() => {}));
      } catch {
        // A sink that throws on close is gone all the same.
      }
    }
    await Promise.all(closing);
    this.checkEmpty();
  }

  // ---- stats --------------------------------------------------------------------------------

  info(): LiveStreamInfo {
    const sinks: Record<string, number> = {};
    let bytesOut = this.departed.bytesOut;
    let dropped = this.departed.dropped;
    for (const sink of this.sinks) {
      sinks[sink.kind] = (sinks[sink.kind] ?? 0) + 1;
      const stats = sink.stats?.();
      bytesOut += stats?.bytesOut ?? 0;
      dropped += stats?.dropped ?? 0;
    }
    const publication = this.live ? this.publication : undefined;
    return {
      app: this.app,
      name: this.name,
      live: publication !== undefined,
      publishedAt: publication?.startedAt,
      uptimeMs: publication ? Date.now() - publication.startedAt : 0,
      publisher: publication ? { ...publication.publisher } : undefined,
      metadata: this.metadata,
      video: this.video && { ...this.video },
      audio: this.audio && { ...this.audio },
      bitrate: publication ? this.meter.bitsPerSecond : 0,
      sinks,
      players: sinks.rtmp ?? 0,
      bytesIn: this.bytesIn,
      bytesOut,
      dropped,
      gop: { messages: this.gop.size, bytes: this.gop.bytes, durationMs: this.gop.durationMs },
    };
  }

  // ---- inside -------------------------------------------------------------------------------

  private fanOut(message: LiveMessage): void {
    for (const sink of this.sinks) this.call(sink, () => sink.write(message));
  }

  /** Runs a sink callback; a sink that throws is removed and closed. False when it failed. */
  private call(sink: MediaSink, run: () => void): boolean {
    try {
      run();
      return true;
    } catch (error) {
      if (this.sinks.delete(sink)) this.tallyDeparture(sink);
      this.listener.sinkFailed(this, sink, error);
      try {
        void Promise.resolve(sink.close('the sink failed')).catch(() => {});
      } catch {
        // already failing
      }
      return false;
    }
  }

  private tallyDeparture(sink: MediaSink): void {
    const stats = sink.stats?.();
    this.departed.bytesOut += stats?.bytesOut ?? 0;
    this.departed.dropped += stats?.dropped ?? 0;
  }

  private applyMetadata(metadata: Record<string, AmfValue>): void {
    const facts = metadataFacts(metadata);
    if (Object.keys(facts.video).length > 0) this.video = { codec: this.video?.codec ?? 'unknown', ...this.video, ...facts.video };
    if (Object.keys(facts.audio).length > 0) this.audio = { codec: this.audio?.codec ?? 'unknown', ...this.audio, ...facts.audio };
  }

  private forgetMedia(): void {
    this.metadataFrame = this.metadata = undefined;
    this.headers.clear();
    this.gop.clear();
    this.video = this.audio = undefined;
    this.lastTimestamp = 0;
  }

  private checkEmpty(): void {
    if (!this.live && this.sinks.size === 0) this.listener.empty(this);
  }
}
