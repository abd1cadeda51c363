import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { prng } from './machine-pair.js';

/** How the relay treats datagrams; every decision is drawn from one seeded PRNG. */
export interface RelayBehaviour {
  /** Probability a datagram is dropped. */
  loss?: number;
  /** Probability a datagram is sent twice. */
  duplicate?: number;
  /** Base delay in ms, and extra random delay up to `jitterMs` (which reorders datagrams). */
  delayMs?: number;
  jitterMs?: number;
}

/**
 * A UDP relay on loopback between clients and one server: clients talk to the relay's port, the
 * relay talks to the server from one socket per client. Loss, duplication, delay and
 * reordering come from a seeded PRNG, so a run is repeatable in what it decides (timing on a
 * real socket still varies). `blackout(true)` drops everything until turned off.
 */
export class LossyRelay {
  readonly counts = { forwarded: 0, dropped: 0, duplicated: 0 };
  private readonly random: () => number;
  private readonly upstream = new Map<string, Socket>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private dark = false;

  private constructor(
    private readonly front: Socket,
    private readonly server: { host: string; port: number },
    seed: number,
    public behaviour: RelayBehaviour,
  ) {
    this.random = prng(seed);
    front.on('message', (bytes, rinfo) => this.fromClient(bytes, rinfo));
  }

  /** Starts a relay to `server` (loopback) with `behaviour`, decisions seeded by `seed`. */
  static async start(server: { host: string; port: number }, behaviour: RelayBehaviour, seed = 1): Promise<LossyRelay> {
    const front = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => front.bind(0, server.host, () => resolve()));
    return new LossyRelay(front, server, seed, behaviour);
  }

  get port(): number {
    return this.front.address().port;
  }

  /** Drops every datagram in both directions while on. */
  blackout(on: boolean): void {
    this.dark = on;
  }

  private fromClient(bytes: Buffer, client: RemoteInfo): void {
    const key = `${client.address}:${client.port}`;
    let socket = this.upstream.get(key);
    if (!socket) {
      socket = createSocket(this.server.host.includes(':') ? 'udp6' : 'udp4');
      socket.bind(0, this.server.host);
      socket.on('message', (reply) => this.forward(reply, (data) => this.front.send(data, client.port, client.address)));
      this.upstream.set(key, socket);
    }
    const upstream = socket;
    this.forward(bytes, (data) => upstream.send(data, this.server.port, this.server.host));
  }

  private forward(bytes: Buffer, send: (data: Buffer) => void): void {
    const { loss = 0, duplicate = 0, delayMs = 0, jitterMs = 0 } = this.behaviour;
    const drop = this.dark || this.random() < loss;
    const twice = this.random() < duplicate;
    const delay = delayMs + this.random() * jitterMs;
    if (drop) {
      this.counts.dropped++;
      return;
    }
    const copy = Buffer.from(bytes);
    const later = (ms: number) => {
      if (ms <= 0) {
        send(copy);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        try {
          send(copy);
        } catch {
          // closed meanwhile
        }
      }, ms);
      this.timers.add(timer);
    };
    this.counts.forwarded++;
    later(delay);
    if (twice) {
      this.counts.duplicated++;
      later(delay + 1 + this.random() * jitterMs);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const sockets = [this.front, ...this.upstream.values()];
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}
