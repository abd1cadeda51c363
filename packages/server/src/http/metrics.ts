import type { Counter, Gauge, Registry } from 'prom-client';
import type { ServerCounters, ServerStats } from '../stats/stats-types.js';
import type { FlvCounters } from './flv-players.js';

/** What one scrape reads: the server's snapshot and the HTTP-FLV side. */
export interface MetricsSnapshot {
  stats: ServerStats;
  flv: FlvCounters & { players: number };
}

/** The Prometheus registry of one server, read from snapshots (`metrics(snapshot)`). */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** The text exposition of everything, for this snapshot. */
  metrics(snapshot: MetricsSnapshot): Promise<string>;
}

/** Server counters exported as `rtmpkit_<name>_total`. */
const COUNTERS: Array<[keyof ServerCounters, string, string]> = [
  ['connections', 'connections_total', 'Connections accepted.'],
  ['rejectedConnections', 'rejected_connections_total', 'Connections refused at connect (auth, unknown app, limits, shutdown).'],
  ['publishes', 'publishes_total', 'Publishes started.'],
  ['deniedPublishes', 'denied_publishes_total', 'Publishes refused (auth, bad name, name in use).'],
  ['takeovers', 'takeovers_total', 'Publishers replaced by another one.'],
  ['idlePublishers', 'idle_publishers_total', 'Publishers closed for sending no media.'],
  ['deniedPlays', 'denied_plays_total', 'RTMP plays refused.'],
  ['unparsedMessages', 'unparsed_messages_total', 'Media messages whose tag did not parse.'],
  ['bytesIn', 'received_bytes_total', 'Media payload bytes received from publishers.'],
];

/**
 * Builds the metrics on their own prom-client registry (never the global one, so several
 * servers in one process do not collide). Counters mirror the server's running totals; gauges
 * and per-stream series are read at each scrape. Per-stream series are bounded by `live.maxStreams`.
 */
export async function createServerMetrics(options: { processMetrics: boolean }): Promise<ServerMetrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  if (options.processMetrics) prom.collectDefaultMetrics({ register: registry });
  let snapshot: MetricsSnapshot | undefined;
  const read = (): MetricsSnapshot => {
    if (!snapshot) throw new Error('metrics read outside a scrape');
    return snapshot;
  };
  /** A counter set to a running total at each scrape. */
  const total = (name: string, help: string, labelNames: string[], fill: (set: (labels: Record<string, string>, value: number) => void, s: MetricsSnapshot) => void): void => {
    new prom.Counter({
      name: `rtmpkit_${name}`,
      help,
      labelNames,
      registers: [registry],
      collect(this: Counter) {
        this.reset();
        fill((labels, value) => this.inc(labels, Math.max(0, value)), read());
      },
    });
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (set: (labels: Record<string, string>, value: number) => void, s: MetricsSnapshot) => void): void => {
    new prom.Gauge({
      name: `rtmpkit_${name}`,
      help,
      labelNames,
      registers: [registry],
      collect(this: Gauge) {
        this.reset();
        fill((labels, value) => this.set(labels, value), read());
      },
    });
  };

  gauge('uptime_seconds', 'Seconds since the server started.', [], (set, s) => set({}, s.stats.uptimeMs / 1000));
  gauge('sessions', 'Open RTMP connections, by transport.', ['scheme'], (set, s) => {
    const counts = new Map<string, number>();
    for (const session of s.stats.sessions) counts.set(session.scheme, (counts.get(session.scheme) ?? 0) + 1);
    for (const { scheme } of s.stats.listeners) if (!counts.has(scheme)) counts.set(scheme, 0);
    for (const [scheme, count] of counts) set({ scheme }, count);
  });
  gauge('streams', 'Live streams being published.', [], (set, s) => set({}, s.stats.streams.length));
  gauge('players', 'Players connected now, by protocol.', ['protocol'], (set, s) => {
    set({ protocol: 'rtmp' }, s.stats.sessions.reduce((sum, session) => sum + session.playing.length, 0));
    set({ protocol: 'http-flv' }, s.flv.players);
  });
  for (const [key, name, help] of COUNTERS) total(name, help, [], (set, s) => set({}, s.stats.counters[key]));
  total('plays_total', 'Plays started, by protocol.', ['protocol'], (set, s) => {
    set({ protocol: 'rtmp' }, s.stats.counters.plays);
    set({ protocol: 'http-flv' }, s.flv.plays);
  });
  total('sent_bytes_total', 'Media payload bytes sent to players, by protocol.', ['protocol'], (set, s) => {
    set({ protocol: 'rtmp' }, s.stats.counters.bytesOut);
    set({ protocol: 'http-flv' }, s.flv.bytesOut);
  });
  total('slow_players_total', 'Players disconnected for being too slow, by protocol.', ['protocol'], (set, s) => {
    set({ protocol: 'rtmp' }, s.stats.counters.slowPlayers);
    set({ protocol: 'http-flv' }, s.flv.slowPlayers);
  });
  total('http_flv_refused_total', 'HTTP-FLV plays refused (auth, unknown stream, limits).', [], (set, s) => set({}, s.flv.refused));
  total('http_flv_dropped_frames_total', 'Frames dropped for slow HTTP-FLV players.', [], (set, s) => set({}, s.flv.dropped));

  const streamLabels = ['app', 'stream'];
  gauge('stream_bitrate_bits', 'Incoming bits per second of a live stream.', streamLabels, (set, s) => {
    for (const stream of s.stats.streams) set({ app: stream.app, stream: stream.name }, stream.bitrate);
  });
  gauge('stream_uptime_seconds', 'Seconds since the current publisher of a stream started.', streamLabels, (set, s) => {
    for (const stream of s.stats.streams) set({ app: stream.app, stream: stream.name }, stream.uptimeMs / 1000);
  });
  gauge('stream_sinks', 'Sinks of a live stream (players, recorders, relays), by kind.', [...streamLabels, 'kind'], (set, s) => {
    for (const stream of s.stats.streams) {
      for (const [kind, count] of Object.entries(stream.sinks)) set({ app: stream.app, stream: stream.name, kind }, count);
    }
  });
  total('stream_received_bytes_total', 'Media payload bytes received for a stream name.', streamLabels, (set, s) => {
    for (const stream of s.stats.streams) set({ app: stream.app, stream: stream.name }, stream.bytesIn);
  });
  total('stream_sent_bytes_total', 'Media payload bytes a stream delivered to its sinks.', streamLabels, (set, s) => {
    for (const stream of s.stats.streams) set({ app: stream.app, stream: stream.name }, stream.bytesOut);
  });
  total('stream_dropped_frames_total', 'Frames a stream dropped for slow sinks (all protocols).', streamLabels, (set, s) => {
    for (const stream of s.stats.streams) set({ app: stream.app, stream: stream.name }, stream.dropped);
  });

  return {
    registry,
    contentType: registry.contentType,
    metrics(next) {
      // prom-client runs every collect() synchronously inside this call, so each scrape reads its own snapshot.
      snapshot = next;
      return registry.metrics();
    },
  };
}
