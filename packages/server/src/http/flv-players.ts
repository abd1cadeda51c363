import type { SinkStats } from '../live/live-types.js';

/** One HTTP-FLV player, as the API lists it. */
export interface FlvPlayerInfo {
  /** `h1`, `h2`, … */
  id: string;
  /** `address:port` of the client. */
  remote: string;
  app: string;
  name: string;
  /** ms since epoch. */
  connectedAt: number;
  /** Media payload bytes sent, frames dropped, bytes waiting now and the most ever. */
  bytesOut: number;
  dropped: number;
  queuedBytes: number;
  peakQueuedBytes: number;
}

/** Running totals of HTTP-FLV playback since the plugin started. */
export interface FlvCounters {
  /** Plays started. */
  plays: number;
  /** Plays refused (auth, unknown stream, limits). */
  refused: number;
  /** Players disconnected for being too slow. */
  slowPlayers: number;
  /** Media payload bytes sent, including players that left. */
  bytesOut: number;
  /** Frames dropped for slow players, including players that left. */
  dropped: number;
}

interface Entry {
  info: Omit<FlvPlayerInfo, 'bytesOut' | 'dropped' | 'queuedBytes' | 'peakQueuedBytes'>;
  stats: () => SinkStats;
}

/** The HTTP-FLV players that are connected, and the totals of all of them. */
export class FlvPlayers {
  private readonly entries = new Map<string, Entry>();
  private readonly totals: FlvCounters = { plays: 0, refused: 0, slowPlayers: 0, bytesOut: 0, dropped: 0 };
  private next = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Registers a player; returns the function that removes it (and adds its bytes to the totals). */
  add(info: Omit<Entry['info'], 'id' | 'connectedAt'>, stats: () => SinkStats): { id: string; remove: () => void } {
    const id = `h${++this.next}`;
    this.entries.set(id, { info: { id, connectedAt: Date.now(), ...info }, stats });
    this.totals.plays++;
    return {
      id,
      remove: () => {
        const entry = this.entries.get(id);
        if (!entry) return;
        this.entries.delete(id);
        const last = entry.stats();
        this.totals.bytesOut += last.bytesOut;
        this.totals.dropped += last.dropped;
      },
    };
  }

  /** A play was refused (it never started). */
  refused(): void {
    this.totals.refused++;
  }

  /** A player was cut for being too slow. */
  slow(): void {
    this.totals.slowPlayers++;
  }

  list(): FlvPlayerInfo[] {
    return [...this.entries.values()].map(({ info, stats }) => {
      const { bytesOut, dropped, queuedBytes, peakQueuedBytes } = stats();
      return { ...info, bytesOut, dropped, queuedBytes, peakQueuedBytes };
    });
  }

  /** Totals, with the players still connected counted in. */
  counters(): FlvCounters {
    const counters = { ...this.totals };
    for (const { stats } of this.entries.values()) {
      const now = stats();
      counters.bytesOut += now.bytesOut;
      counters.dropped += now.dropped;
    }
    return counters;
  }
}
