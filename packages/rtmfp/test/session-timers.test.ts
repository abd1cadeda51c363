import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/index.js';
import { MachinePair } from './helpers/machine-pair.js';

const meta = Buffer.from('TC\x04\x00', 'latin1');

describe('session machine timers', () => {
  it('pings when the peer is quiet, and the reply keeps the session alive', () => {
    const pair = new MachinePair({ keepaliveMs: 1000, peerTimeoutMs: 5000 });
    const pings: number[] = [];
    pair.rule = (packet, from) => {
      if (from === 'a' && packet.chunks.some((chunk) => chunk.type === 0x01)) pings.push(pair.now);
      return {};
    };
    pair.run(20_000, 10);
    expect(pings.length).toBeGreaterThanOrEqual(10);
    expect(pair.closed).toEqual({});
    expect(pair.a.state).toBe('open');
  });

  it('a silent peer ends the session with a typed timeout after peerTimeoutMs', () => {
    const pair = new MachinePair({ keepaliveMs: 500, peerTimeoutMs: 3000 });
    pair.rule = () => ({ drop: true });
    const took = pair.runUntil(() => pair.closed.a !== undefined, 10_000, 10);
    expect(took).toBeGreaterThanOrEqual(3000);
    expect(took).toBeLessThan(3100);
    expect(pair.closed.a).toMatchObject({ name: 'TimeoutError', timeout: 'idle' });
  });

  it('a closed window stops new data; buffer probes ask until it opens again', () => {
    const pair = new MachinePair({ receiveBufferBytes: 8 * 1024 });
    const flow = pair.a.openFlow({ metadata: meta });
    const probes: number[] = [];
    pair.rule = (packet, from) => {
      if (from === 'a' && packet.chunks.some((chunk) => chunk.type === 0x18)) probes.push(pair.now);
      return {};
    };
    flow.write(Buffer.alloc(100));
    pair.run(50);
    // The application stops reading: all it holds counts against the window, and the sender hears of it.
    const incoming = pair.incomingB[0]!;
    incoming.heldBytes = 8 * 1024;
    pair.b.windowOpened(incoming);
    pair.run(50);
    expect(flow.peerWindow).toBe(0);
    for (let i = 0; i < 10; i++) flow.write(Buffer.alloc(1000, i));
    pair.run(5000, 5);
    expect(flow.windowClosed).toBe(true);
    // Probes at 1 s, then backing off by √2: 1, 2.41, 4.41 s.
    expect(probes.length).toBe(3);
    const delivered = pair.received.b.length;
    // It reads again: the window opens, the rest flows.
    incoming.heldBytes = 0;
    pair.b.windowOpened(incoming);
    pair.runUntil(() => pair.received.b.length === 11, 5000, 5);
    expect(delivered).toBeLessThan(11);
    expect(pair.received.b).toHaveLength(11);
  });

  it('the peer answers a flow it cannot take with an exception, and the flow finishes', () => {
    const pair = new MachinePair();
    let refused: number | undefined;
    const b = pair.b as unknown as { events: { incomingFlow(flow: { reject(code: number): void }): void } };
    b.events.incomingFlow = (flow) => flow.reject(9);
    const flow = pair.a.openFlow({ metadata: meta });
    (pair.a as unknown as { events: { flowException(flow: unknown, code: number): void } }).events.flowException = (_flow, code) => (refused = code);
    flow.write(Buffer.alloc(5000));
    pair.runUntil(() => !pair.a.sendFlows.has(flow.id), 10_000);
    expect(refused).toBe(9);
    expect(pair.received.b).toHaveLength(0);
    expect(pair.a.sendFlows.has(flow.id)).toBe(false);
  });

  it('an abrupt close sends the close request; the peer acknowledges and lingers', () => {
    const pair = new MachinePair();
    pair.a.abort(pair.now);
    pair.run(100);
    expect(pair.closed).toEqual({ a: null, b: null });
    expect(pair.a.state).toBe('closed');
    expect(pair.b.state).toBe('farclose');
  });

  it('a close request that is never acknowledged is repeated every 5 s, then given up at 90 s', () => {
    const pair = new MachinePair();
    const requests: number[] = [];
    pair.rule = (packet, from) => {
      if (from === 'a' && packet.chunks.some((chunk) => chunk.type === 0x0c)) requests.push(pair.now);
      return { drop: true };
    };
    const start = pair.now;
    pair.a.abort(pair.now);
    pair.runUntil(() => pair.a.state === 'closed', 100_000, 50);
    expect(requests.length).toBe(18);
    expect(requests[1]! - requests[0]!).toBe(5000);
    expect(pair.now - start).toBeGreaterThanOrEqual(90_000);
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then the rate; sources are independent; the map stays bounded', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, 100);
    const takes = Array.from({ length: 5 }, () => limiter.take('a', 0));
    expect(takes).toEqual([true, true, true, false, false]);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.take('a', 499)).toBe(false);
    expect(limiter.take('a', 500)).toBe(true);
    for (let i = 0; i < 1000; i++) limiter.take(`flood-${i}`, 1000);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});
