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

/**
 * One accepted connection and what it publishes and plays. An idle server holds thousands of
 * these, so what most connections never use is made on first use: the publish and play tables,
 * and the logger with the connection's bindings.
 */
export class ServerConnection {
  readonly connectedAt = Date.now();
  /** Media payload bytes received. */
  bytesIn = 0;
  /** Media payload bytes sent by plays that ended. */
  private bytesOutDone = 0;
  private publishTable: Map<NetStream, ConnectionPublish> | undefined;
  private playTable: Map<NetStream, ConnectionPlay> | undefined;

  constructor(
    readonly id: string,
    readonly session: Session,
    readonly client: ClientInfo,
    /** The server's logger: `log` is its child with this connection's bindings. */
    private readonly serverLog: Logger,
  ) {}

  /** What the connection publishes, by stream. */
  get publishes(): Map<NetStream, ConnectionPublish> {
    return (this.publishTable ??= new Map());
  }

  /** What the connection plays, by stream. */
  get plays(): Map<NetStream, ConnectionPlay> {
    return (this.playTable ??= new Map());
  }

  /**
   * The server's logger with `session`, `remote`, `scheme` and `app` bound. Made for each use
   * rather than kept: a connection logs a few lines in its life, and a child logger kept per
   * connection costs more memory than an idle connection should.
   */
  get log(): Logger {
    return this.serverLog.child({ session: this.id, remote: this.remote, scheme: this.client.scheme, app: this.client.app });
  }

  get remote(): string {
    return formatRemote(this.client.remote);
  }

  /** Media payload bytes sent to this client. */
  get bytesOut(): number {
    let total = this.bytesOutDone;
    if (this.playTable) for (const play of this.playTable.values()) total += play.sink?.stats().bytesOut ?? 0;
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
      publishing: [...(this.publishTable?.values() ?? [])].map((publish) => publish.name),
      playing: [...(this.playTable?.values() ?? [])].map((play) => {
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
