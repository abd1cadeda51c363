import { StreamRejectedError, type AmfValue, type NetStream, type PeerAddress, type PlayRequest, type RtmpMessage, type Session } from '@rtmpkit/core';

/** A peer playing one of our streams. */
export interface PeerSubscriber {
  /** The subscriber's peer id (SHA-256 of its certificate, proven by the handshake), hex. */
  readonly peerId: string;
  readonly remote: PeerAddress;
  /** Our session with the subscriber (we are its responder: the server role). */
  readonly session: Session;
  /** The subscriber's NetStream on that session, playing. */
  readonly stream: NetStream;
}

/** Options of `publishToPeers`. */
export interface PeerStreamOptions {
  /**
   * A peer asks to play this stream (Flash's `onPeerConnect` on the publisher's NetStream):
   * return false to refuse it (it gets `NetStream.Play.Failed`). Default: every peer plays.
   */
  onPeerConnect?(subscriber: PeerSubscriber): boolean | Promise<boolean>;
  /** A subscriber left (stopped playing, closed its session, or timed out). */
  onPeerDisconnect?(subscriber: PeerSubscriber): void;
  /** Subscribers at once; more are refused with `NetStream.Play.Failed`. Default 16. */
  maxSubscribers?: number;
}

/**
 * A stream published "to peers" (Flash: `new NetStream(nc, NetStream.DIRECT_CONNECTIONS)`):
 * what is sent goes straight to every peer that plays it, not through the server. A peer that
 * starts late gets the metadata and the audio and video sequence headers first.
 */
export interface PeerStream {
  readonly name: string;
  readonly subscribers: readonly PeerSubscriber[];
  readonly closed: boolean;
  /** Sends audio, video or data to every subscriber; resolves when all can take more. */
  send(message: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>): Promise<void>;
  /** Sends `onMetaData` to every subscriber (and to those who come later). */
  sendMetadata(metadata: Record<string, AmfValue>, timestamp?: number): Promise<void>;
  /** Stops publishing: every subscriber's play ends (`NetStream.Play.Stop`), new ones are refused. */
  close(): Promise<void>;
}

/** A video or audio sequence header (decoder configuration) that a late subscriber needs first. */
function sequenceHeaderKind(message: Pick<RtmpMessage, 'type' | 'payload'>): 'video' | 'audio' | undefined {
  const bytes = message.payload;
  if (bytes.length < 2) return undefined;
  if (message.type === 9) {
    const enhanced = (bytes[0]! & 0x80) !== 0;
    if (enhanced ? (bytes[0]! & 0x0f) === 0 : (bytes[0]! & 0x0f) === 7 && bytes[1] === 0) return 'video';
  }
  if (message.type === 8 && bytes[0]! >> 4 === 10 && bytes[1] === 0) return 'audio';
  return undefined;
}

type Outgoing = Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>;

/** A subscriber, and what was sent between `onPeerConnect` and the start of its play. */
interface Entry {
  readonly subscriber: PeerSubscriber;
  /** Undefined once playing: messages go straight to the stream. */
  pending: (Outgoing | { metadata: Record<string, AmfValue>; timestamp: number })[] | undefined;
  /** False while `onPeerConnect` decides. */
  accepted: boolean;
}

/** Messages kept for a subscriber whose play is starting (one turn of the event loop, normally). */
const MAX_PENDING = 512;

/** `publishToPeers`' stream: the subscribers, the fan-out and the headers kept for late comers. */
export class PeerStreamImpl implements PeerStream {
  private readonly entries: Entry[] = [];
  private metadata: { values: Record<string, AmfValue>; timestamp: number } | undefined;
  private readonly headers = new Map<'video' | 'audio', Outgoing>();
  private ended = false;

  constructor(
    readonly name: string,
    private readonly options: PeerStreamOptions,
    private readonly onClose: () => void,
  ) {}

  get subscribers(): readonly PeerSubscriber[] {
    return this.entries.filter((entry) => entry.accepted).map((entry) => entry.subscriber);
  }

  get closed(): boolean {
    return this.ended;
  }

  /**
   * A peer's play request for this name: asks `onPeerConnect`; if it says yes, what was sent
   * since it was asked reaches the peer (held until core has sent `NetStream.Play.Start`).
   */
  async subscribe(request: PlayRequest, peer: { peerId: string; session: Session }): Promise<void> {
    if (this.ended) throw new StreamRejectedError('NetStream.Play.StreamNotFound', `${this.name} is no longer published`);
    if (this.entries.length >= (this.options.maxSubscribers ?? 16)) {
      throw new StreamRejectedError('NetStream.Play.Failed', `${this.name} has as many subscribers as it takes`);
    }
    const subscriber: PeerSubscriber = { peerId: peer.peerId, remote: peer.session.remote, session: peer.session, stream: request.stream };
    // The entry exists while onPeerConnect decides: what the publisher sends from there on
    // (even from inside onPeerConnect) is kept for this peer.
    const entry: Entry = { subscriber, pending: [], accepted: false };
    if (this.metadata) entry.pending!.push({ metadata: this.metadata.values, timestamp: this.metadata.timestamp });
    entry.pending!.push(...this.headers.values());
    this.entries.push(entry);
    let allowed = false;
    try {
      const answer = this.options.onPeerConnect ? this.options.onPeerConnect(subscriber) : true;
      allowed = typeof answer === 'boolean' ? answer : await answer;
    } finally {
      if (!allowed || this.ended) this.entries.splice(this.entries.indexOf(entry), 1);
    }
    if (!allowed) throw new StreamRejectedError('NetStream.Play.Failed', `the publisher of ${this.name} refused this peer`);
    if (this.ended) throw new StreamRejectedError('NetStream.Play.StreamNotFound', `${this.name} is no longer published`);
    entry.accepted = true;
    void request.stream.closed.then(() => this.remove(entry));
    // Core sends StreamBegin and NetStream.Play.Start once this returns: media may flow after that.
    setImmediate(() => void this.start(entry));
  }

  private remove(entry: Entry): void {
    const index = this.entries.indexOf(entry);
    if (index < 0) return;
    this.entries.splice(index, 1);
    if (entry.accepted) this.options.onPeerDisconnect?.(entry.subscriber);
  }

  private async start(entry: Entry): Promise<void> {
    const { stream } = entry.subscriber;
    try {
      while (entry.pending && entry.pending.length > 0) {
        if (stream.mode !== 'playing') throw new Error('not playing');
        const next = entry.pending.shift()!;
        if ('metadata' in next) await stream.sendMetadata(next.metadata, next.timestamp);
        else await stream.send(next);
      }
      entry.pending = undefined;
    } catch {
      this.remove(entry); // the subscriber left meanwhile
    }
  }

  async send(message: Outgoing): Promise<void> {
    if (this.ended) return;
    const header = sequenceHeaderKind(message);
    const kept = { type: message.type, timestamp: message.timestamp, payload: Buffer.from(message.payload) };
    if (header) this.headers.set(header, kept);
    await Promise.all(
      this.entries.map((entry) => {
        if (!entry.pending) return entry.subscriber.stream.send(message).catch(() => {});
        if (entry.pending.length < MAX_PENDING) entry.pending.push(kept);
        return undefined;
      }),
    );
  }

  async sendMetadata(metadata: Record<string, AmfValue>, timestamp = 0): Promise<void> {
    if (this.ended) return;
    this.metadata = { values: metadata, timestamp };
    await Promise.all(
      this.entries.map((entry) => {
        if (!entry.pending) return entry.subscriber.stream.sendMetadata(metadata, timestamp).catch(() => {});
        entry.pending.push({ metadata, timestamp });
        return undefined;
      }),
    );
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.onClose();
    await Promise.all(this.entries.map((entry) => entry.subscriber.stream.close().catch(() => {})));
  }
}
