import { describe, expect, it } from 'vitest';
import { RecvFlow, type FlowFragment } from '../src/index.js';

const limits = { bufferBytes: 64 * 1024, maxMessageSize: 1 << 20, maxAhead: 1000 };

function fragment(seq: number, data: string, extra: Partial<FlowFragment> = {}): FlowFragment {
  return { flowId: 3, sequenceNumber: seq, forwardSequenceNumber: 0, fragmentation: 'whole', abandon: false, final: false, data: Buffer.from(data), ...extra };
}

function openFlow(): { flow: RecvFlow; got: string[] } {
  const flow = new RecvFlow(3, Buffer.from('TC\x04\x01', 'latin1'), undefined, limits);
  const got: string[] = [];
  flow.accept((data) => got.push(data.toString()));
  return { flow, got };
}

describe('RecvFlow', () => {
  it('delivers in sequence order whatever the arrival order, and acks what it holds beyond a gap', () => {
    const { flow, got } = openFlow();
    expect(flow.receive(fragment(2, 'b'))).toBe('out-of-order');
    expect(flow.receive(fragment(4, 'd'))).toBe('out-of-order');
    expect(flow.ackRanges()).toEqual([{ from: 2, to: 2 }, { from: 4, to: 4 }]);
    expect(flow.cumulativeAck).toBe(0);
    expect(flow.receive(fragment(1, 'a'))).toBe('in-order');
    expect(got).toEqual(['a', 'b']);
    expect(flow.receive(fragment(3, 'c'))).toBe('in-order');
    expect(got).toEqual(['a', 'b', 'c', 'd']);
    expect(flow.cumulativeAck).toBe(4);
    expect(flow.receive(fragment(2, 'b'))).toBe('duplicate');
    expect(got).toHaveLength(4);
  });

  it('puts fragmented messages back together', () => {
    const { flow, got } = openFlow();
    flow.receive(fragment(1, 'he', { fragmentation: 'begin' }));
    flow.receive(fragment(3, 'lo', { fragmentation: 'end' }));
    flow.receive(fragment(2, 'l', { fragmentation: 'middle' }));
    expect(got).toEqual(['hello']);
  });

  it('moves past holes at or below the forward sequence number, dropping the message they broke', () => {
    const { flow, got } = openFlow();
    flow.receive(fragment(1, 'a'));
    flow.receive(fragment(2, 'x', { fragmentation: 'begin' }));
    // 3 (the rest of that message) and 4 never come; 5 says nothing at or below 4 will be sent again.
    flow.receive(fragment(5, 'e', { forwardSequenceNumber: 4 }));
    expect(got).toEqual(['a', 'e']);
    expect(flow.cumulativeAck).toBe(5);
    expect(flow.stats.skippedFragments).toBe(2);
    expect(flow.stats.abandonedMessages).toBe(1);
  });

  it('counts abandoned (ABN) fragments once per message', () => {
    const { flow, got } = openFlow();
    flow.receive(fragment(1, '', { abandon: true, fragmentation: 'begin' }));
    flow.receive(fragment(2, '', { abandon: true, fragmentation: 'end' }));
    flow.receive(fragment(3, '', { abandon: true }));
    flow.receive(fragment(4, 'ok'));
    expect(got).toEqual(['ok']);
    expect(flow.stats.abandonedMessages).toBe(2);
    expect(flow.stats.skippedFragments).toBe(3);
  });

  it('advertises its window in 1024-byte blocks, shrunk by what is held', () => {
    const { flow } = openFlow();
    expect(flow.bufferBlocksAvailable()).toBe(64);
    flow.receive(fragment(2, 'x'.repeat(4096)));
    expect(flow.bufferBlocksAvailable()).toBe(60);
    flow.heldBytes = 60 * 1024;
    expect(flow.bufferBlocksAvailable()).toBe(0);
    // With no room, fragments beyond a gap are dropped (the sender will send them again)…
    expect(flow.receive(fragment(3, 'y'))).toBe('dropped');
    // …and while the application holds a full buffer, even the next one in order waits.
    flow.heldBytes = 64 * 1024;
    expect(flow.receive(fragment(1, 'z'))).toBe('dropped');
    flow.heldBytes = 60 * 1024;
    expect(flow.receive(fragment(1, 'z'))).toBe('in-order');
  });

  it('drops sequence numbers absurdly far ahead', () => {
    const { flow } = openFlow();
    expect(flow.receive(fragment(5000, 'far'))).toBe('dropped');
    expect(flow.ackRanges()).toEqual([]);
  });

  it('completes at FIN once everything before it arrived', () => {
    const { flow } = openFlow();
    let done = false;
    const closing = new RecvFlow(3, Buffer.alloc(1), undefined, limits);
    closing.accept(() => {}, () => (done = true));
    closing.receive(fragment(2, '', { abandon: true, final: true }));
    expect(done).toBe(false);
    closing.receive(fragment(1, 'last'));
    expect(done).toBe(true);
    expect(closing.state).toBe('complete');
    expect(flow.state).toBe('open');
  });

  it('a refused flow delivers nothing, advertises no window and says why', () => {
    const { flow, got } = openFlow();
    flow.reject(7);
    flow.receive(fragment(1, 'a'));
    expect(got).toEqual([]);
    expect(flow.bufferBlocksAvailable()).toBe(0);
    expect(flow.exceptionCode).toBe(7);
    expect(flow.cumulativeAck).toBe(1);
  });

  it('refuses a message above maxMessageSize with a typed error', () => {
    const flow = new RecvFlow(1, Buffer.alloc(1), undefined, { ...limits, maxMessageSize: 4 });
    flow.accept(() => {});
    flow.receive(fragment(1, 'abc', { fragmentation: 'begin' }));
    expect(() => flow.receive(fragment(2, 'def', { fragmentation: 'end' }))).toThrow(/maxMessageSize/);
  });
});
