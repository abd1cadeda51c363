import { describe, expect, it } from 'vitest';
import { MachinePair, prng } from './helpers/machine-pair.js';

const meta = Buffer.from('TC\x04\x00', 'latin1');

function messages(count: number, size: (i: number) => number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const data = Buffer.alloc(size(i), i & 0xff);
    data.writeUInt32BE(i, 0);
    return data;
  });
}

describe('session machine over a perfect path', () => {
  it('delivers messages of every size, in order, once', () => {
    const pair = new MachinePair();
    const flow = pair.a.openFlow({ metadata: meta });
    const sent = messages(50, (i) => 4 + ((i * 977) % 9000));
    for (const message of sent) flow.write(message);
    pair.runUntil(() => pair.received.b.length === sent.length);
    expect(pair.received.b).toEqual(sent);
    expect(pair.incomingB).toHaveLength(1);
    expect(pair.incomingB[0]!.metadata).toEqual(meta);
    expect(pair.a.stats.retransmissions).toBe(0);
  });

  it('stops sending the metadata once the flow is acknowledged', () => {
    const pair = new MachinePair();
    const flow = pair.a.openFlow({ metadata: meta });
    flow.write(Buffer.from('one'));
    pair.run(500);
    expect(flow.acknowledged).toBe(true);
  });

  it('a return flow names the flow it answers; one naming no flow of ours is refused', () => {
    const pair = new MachinePair();
    const control = pair.a.openFlow({ metadata: meta });
    control.write(Buffer.from('hello'));
    pair.run(50);
    const reply = pair.b.openFlow({ metadata: meta, returnFlowId: pair.incomingB[0]!.id });
    reply.write(Buffer.from('answer'));
    const stray = pair.b.openFlow({ metadata: meta, returnFlowId: 999 });
    stray.write(Buffer.from('nobody asked'));
    pair.run(500);
    expect(pair.incomingA.map((f) => f.returnFlowId)).toEqual([control.id]);
    expect(pair.received.a).toEqual([Buffer.from('answer')]);
    expect(stray.exception).toBe(0);
  });

  it('closes in order: flows finish, then the close request and its ack', () => {
    const pair = new MachinePair();
    const flow = pair.a.openFlow({ metadata: meta });
    flow.write(Buffer.alloc(20_000, 7));
    pair.a.close();
    pair.runUntil(() => pair.closed.a !== undefined && pair.closed.b !== undefined, 10_000);
    expect(pair.received.b).toHaveLength(1);
    expect(pair.closed).toEqual({ a: null, b: null });
    expect(pair.a.state).toBe('closed');
    expect(pair.b.state).toBe('farclose');
    pair.run(20_000, 10);
    expect(pair.b.state).toBe('closed');
  });
});

describe('session machine over a lossy path', () => {
  it('recovers from 10% loss, reordering and duplicates: every message once and in order', () => {
    const random = prng(7);
    const pair = new MachinePair();
    pair.rule = () => ({ drop: random() < 0.1, delayMs: 1 + Math.floor(random() * 20), duplicate: random() < 0.05 });
    const flow = pair.a.openFlow({ metadata: meta });
    const sent = messages(300, (i) => 8 + ((i * 4099) % 5000));
    for (const message of sent) flow.write(message);
    pair.runUntil(() => pair.received.b.length === sent.length, 120_000);
    expect(pair.received.b.length).toBe(sent.length);
    expect(pair.received.b).toEqual(sent);
    const stats = pair.a.stats;
    expect(stats.retransmissions).toBeGreaterThan(0);
    expect(stats.lossEvents).toBeGreaterThan(0);
    expect(pair.b.stats.abandonedReceived).toBe(0);
  });

  it('abandons media past its deadline and the receiver moves on, counting what it lost', () => {
    const pair = new MachinePair();
    // Lose every packet carrying a first transmission of message 5's fragments (fragments 11–20).
    const flow = pair.a.openFlow({ metadata: meta, timeCritical: true });
    const sent = messages(20, () => 2000);
    let dropping = true;
    pair.rule = (packet, from) => {
      if (from !== 'a' || !dropping) return {};
      const hasUserData = packet.chunks.some((chunk) => chunk.type === 0x10 || chunk.type === 0x11);
      return { drop: hasUserData && pair.now >= pair.startDrop && pair.now < pair.startDrop + 400 };
    };
    pair.startDrop = pair.now;
    for (const message of sent) flow.write(message, pair.now + 300);
    pair.runUntil(() => flow.bufferedBytes === 0 && pair.now > pair.startDrop + 2000, 60_000);
    dropping = false;
    const stats = pair.a.stats;
    expect(stats.abandonedSent).toBeGreaterThan(0);
    // What arrived arrived once, in order; the rest was abandoned, and both sides agree on how much.
    const indexes = pair.received.b.map((data) => data.readUInt32BE(0));
    expect([...indexes].sort((x, y) => x - y)).toEqual(indexes);
    expect(new Set(indexes).size).toBe(indexes.length);
    expect(indexes.length + stats.abandonedSent).toBe(sent.length);
    expect(pair.b.stats.abandonedReceived + pair.b.stats.skippedFragments).toBeGreaterThan(0);
    // The flow is not stuck: a message written now arrives.
    flow.write(Buffer.from('after'));
    pair.runUntil(() => pair.received.b.at(-1)?.toString() === 'after', 10_000);
    expect(pair.received.b.at(-1)?.toString()).toBe('after');
  });
});

describe('acknowledgements and fast retransmit', () => {
  it('a burst read in one go is acknowledged every two packets, each ack in its own packet', () => {
    const pair = new MachinePair();
    const flow = pair.a.openFlow({ metadata: meta });
    for (let i = 0; i < 40; i++) flow.write(Buffer.alloc(1000));
    pair.run(1000); // the congestion window grows past eight packets
    const acks: number[] = [];
    let dataPackets = 0;
    pair.rule = (packet, from) => {
      if (from === 'b') acks.push(packet.chunks.filter((chunk) => chunk.type === 0x51).length);
      else dataPackets++;
      return { delayMs: 5 };
    };
    for (let i = 0; i < 8; i++) flow.write(Buffer.alloc(1000, i));
    pair.run(3); // all the packets go out at once and arrive together
    pair.run(10);
    expect(dataPackets).toBeGreaterThanOrEqual(6);
    expect(acks.slice(0, Math.floor(dataPackets / 2))).toEqual(new Array(Math.floor(dataPackets / 2)).fill(1));
  });

  it('a fragment lost in a burst is sent again after three acks, without waiting for a timeout', () => {
    const pair = new MachinePair();
    const flow = pair.a.openFlow({ metadata: meta });
    flow.write(Buffer.from('warm up'));
    pair.run(300);
    let dataPackets = 0;
    let dropped = 0;
    pair.rule = (packet, from) => {
      // Drop the second packet of data.
      const fragments = packet.chunks.filter((chunk) => chunk.type === 0x10 || chunk.type === 0x11).length;
      if (from === 'a' && fragments > 0 && ++dataPackets === 2) {
        dropped = fragments;
        return { drop: true };
      }
      return {};
    };
    const sent = messages(12, () => 1000);
    for (const message of sent) flow.write(message);
    const took = pair.runUntil(() => pair.received.b.length === 13, 5000);
    expect(dropped).toBeGreaterThan(0);
    expect(pair.received.b.slice(1)).toEqual(sent);
    expect(pair.a.stats.timeouts).toBe(0);
    expect(pair.a.stats.retransmissions).toBe(dropped);
    expect(took).toBeLessThan(100);
  });
});
