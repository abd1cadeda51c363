import { RtmfpSessionMachine, type OutgoingPacket, type RecvFlow, type SessionMachineOptions } from '../../src/index.js';

/** A seeded PRNG (mulberry32): same seed, same sequence. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface InFlight {
  readonly at: number;
  readonly to: 'a' | 'b';
  readonly packet: OutgoingPacket;
}

/** How the simulated path treats packets: a decision per packet. */
export type PathRule = (packet: OutgoingPacket, from: 'a' | 'b', now: number) => { drop?: boolean; delayMs?: number; duplicate?: boolean };

/**
 * Two session machines joined by a simulated path, on a simulated clock: everything pure, so
 * a run is exactly repeatable. `run(ms)` advances time in steps, polls both sides and delivers
 * packets whose delay has passed.
 */
export class MachinePair {
  now = 1_000_000;
  readonly a: RtmfpSessionMachine;
  readonly b: RtmfpSessionMachine;
  readonly incomingA: RecvFlow[] = [];
  readonly incomingB: RecvFlow[] = [];
  readonly received: { a: Buffer[]; b: Buffer[] } = { a: [], b: [] };
  readonly closed: { a?: Error | null; b?: Error | null } = {};
  readonly wire: InFlight[] = [];
  sent = 0;
  startDrop = 0;
  rule: PathRule = () => ({});

  constructor(options: SessionMachineOptions = {}, optionsB: SessionMachineOptions = options) {
    this.a = new RtmfpSessionMachine(this.now, {
      incomingFlow: (flow) => {
        this.incomingA.push(flow);
        flow.accept((data) => this.received.a.push(Buffer.from(data)));
      },
      closed: (error) => (this.closed.a = error ?? null),
    }, options);
    this.b = new RtmfpSessionMachine(this.now, {
      incomingFlow: (flow) => {
        this.incomingB.push(flow);
        flow.accept((data) => this.received.b.push(Buffer.from(data)));
      },
      closed: (error) => (this.closed.b = error ?? null),
    }, optionsB);
  }

  /** Polls both sides and moves packets, for `ms` of simulated time in `step` ms steps. */
  run(ms: number, step = 1): void {
    const end = this.now + ms;
    while (this.now < end) {
      this.pump();
      this.now += step;
    }
    this.pump();
  }

  /** Runs until `done()` or `limitMs` passes; returns the simulated time it took. */
  runUntil(done: () => boolean, limitMs = 120_000, step = 1): number {
    const start = this.now;
    while (!done() && this.now - start < limitMs) {
      this.pump();
      this.now += step;
    }
    return this.now - start;
  }

  private pump(): void {
    for (const [side, machine] of [['a', this.a], ['b', this.b]] as const) {
      const wake = machine.nextWakeup();
      if (wake === undefined || wake > this.now) continue;
      for (const packet of machine.poll(this.now)) {
        this.sent++;
        const verdict = this.rule(packet, side, this.now);
        if (verdict.drop) continue;
        const to = side === 'a' ? 'b' : 'a';
        this.wire.push({ at: this.now + (verdict.delayMs ?? 1), to, packet });
        if (verdict.duplicate) this.wire.push({ at: this.now + (verdict.delayMs ?? 1) + 3, to, packet });
      }
    }
    this.wire.sort((x, y) => x.at - y.at);
    while (this.wire.length > 0 && this.wire[0]!.at <= this.now) {
      const { to, packet } = this.wire.shift()!;
      (to === 'a' ? this.a : this.b).receive(packet, this.now);
    }
  }
}
