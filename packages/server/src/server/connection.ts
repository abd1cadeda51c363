import type { NetStream, PeerAddress, Session } from '@rtmpkit/core';
import type { Logger } from 'pino';
import type { ClientInfo } from '../auth/auth-types.js';
import type { Subscription } from '../live/live-hub.js';
import type { Publication } from '../live/publication.js';
import type { PlaybackHandle } from '../play/play-sources.js';
import type { RtmpPlayerSink } from '../play/rtmp-player-sink.js';
import type { SessionInfo } from '../stats/stats-types.js';

/** A publish of this connection. */
export interface ConnectionPublish {
  name: string;
  publication: Publication;
}

/** A play of this connection: live (sink + subscription) or from a `PlaySource` (handle). */
export interface ConnectionPlay {
  name: string;
  source: string;
  sink?: RtmpPlayerSink;
  subscription?: Subscription;
  handle?: PlaybackHandle;
}

/** `address:port`, IPv6 in brackets. */
export function formatRemote(remote: PeerAddress): string {
  return remote.family === 'IPv6' || remote.address.includes(':') ? `[${remote.address}]:${remote.port}` : `${remote.address}:${remote.port}`;
}

/** One accepted connection and what it publishes and plays. */
export class ServerConnection {
  readonly connectedAt = Date.now();
  readonly publishes = new Map<NetStream, ConnectionPublish>();
  readonly plays = new Map<NetStream, ConnectionPlay>();
  /** Media payload bytes received. */
  bytesIn = 0;
  /** Media payload bytes sent by plays that ended. */
  private bytesOutDone = 0;

  constructor(
    readonly id: string,
    readonly session: Session,
    readonly client: ClientInfo,
    readonly log: Logger,
  ) {}

  get remote(): string {
    return formatRemote(this.client.remote);
  }

  /** Media payload bytes sent to this client. */
  get bytesOut(): number {
    let total = this.bytesOutDone;
    for (const play of this.plays.values()) total += play.sink?.stats().bytesOut ?? 0;
    return total;
  }

  /** A play ended: keep its byte count. */
  playEnded(play: ConnectionPlay): void {
    this.bytesOutDone += play.sink?.stats().bytesOut ?? 0;
  }

  info(): SessionInfo {
    return {
      id: this.id,
      remote: this.remote,
      scheme: this.client.scheme,
      app: this.client.app,
      connectedAt: this.connectedAt,
      bytesIn: this.session.bytesIn,
      bytesOut: this.session.bytesOut,
      mediaBytesIn: this.bytesIn,
      mediaBytesOut: this.bytesOut,
      publishing: [...this.publishes.values()].map((publish) => publish.name),
      playing: [...this.plays.values()].map((play) => {
        const stats = play.sink?.stats();
        return {
          name: play.name,
          source: play.source,
          bytesOut: stats?.bytesOut ?? 0,
          dropped: stats?.dropped ?? 0,
          queuedBytes: stats?.queuedBytes ?? 0,
          peakQueuedBytes: stats?.peakQueuedBytes ?? 0,
        };
      }),
    };
  }
}
