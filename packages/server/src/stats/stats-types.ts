import type { TransportScheme } from '@rtmpkit/core';
import type { LiveStreamInfo } from '../live/live-types.js';

/** One connection, as the API lists it. */
export interface SessionInfo {
  id: string;
  /** `address:port` (IPv6 in brackets). */
  remote: string;
  scheme: TransportScheme;
  app: string;
  /** ms since epoch. */
  connectedAt: number;
  /** Bytes received from this client on the wire (handshake, chunk headers, commands included). */
  bytesIn: number;
  /** Bytes sent to this client on the wire. */
  bytesOut: number;
  /** Media payload bytes received from this client (what it published). */
  mediaBytesIn: number;
  /** Media payload bytes sent to this client (what it played). */
  mediaBytesOut: number;
  /** Names this session publishes now. */
  publishing: string[];
  /** What this session plays now. */
  playing: PlayInfo[];
}

/** One play of a session. */
export interface PlayInfo {
  name: string;
  /** `live`, or the name of the `PlaySource` serving it. */
  source: string;
  /** Media payload bytes sent. */
  bytesOut: number;
  /** Frames dropped because the player was behind. */
  dropped: number;
  /** Bytes waiting for the player now, and the most ever. */
  queuedBytes: number;
  peakQueuedBytes: number;
}

/** Running totals since the server started. */
export interface ServerCounters {
  /** Connections accepted. */
  connections: number;
  /** Connections refused at `connect` (auth, unknown app, limits, shutting down). */
  rejectedConnections: number;
  publishes: number;
  /** Publishes refused (auth, bad name, name in use). */
  deniedPublishes: number;
  /** Publishers replaced by another (takeover). */
  takeovers: number;
  /** Publishers closed for sending no media for `idlePublisherTimeoutMs`. */
  idlePublishers: number;
  plays: number;
  deniedPlays: number;
  /** Players disconnected for being too slow. */
  slowPlayers: number;
  /** Media messages whose tag did not parse (forwarded as they were). */
  unparsedMessages: number;
  /** Media payload bytes received from publishers. */
  bytesIn: number;
  /** Media payload bytes sent to players (RTMP sinks), including sessions that closed. */
  bytesOut: number;
}

/** What `server.stats()` returns. */
export interface ServerStats {
  /** ms since `start()` resolved (0 before). */
  uptimeMs: number;
  /** Published streams. */
  streams: LiveStreamInfo[];
  sessions: SessionInfo[];
  counters: ServerCounters;
  listeners: Array<{ scheme: string; address: string; port: number }>;
}

/** Fresh counters. */
export function newCounters(): ServerCounters {
  return {
    connections: 0,
    rejectedConnections: 0,
    publishes: 0,
    deniedPublishes: 0,
    takeovers: 0,
    idlePublishers: 0,
    plays: 0,
    deniedPlays: 0,
    slowPlayers: 0,
    unparsedMessages: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
}
