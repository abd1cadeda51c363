import { describe, expect, it } from 'vitest';
import { SendFlow } from '../src/index.js';

const room = (bytes: number) => () => bytes;

function flow(): SendFlow {
  return new SendFlow(5, { metadata: Buffer.from('TC\x04\x01', 'latin1') });
}

describe('SendFlow', () => {
  it('cuts a message into numbered fragments as room allows', () => {
    const f = flow();
    f.write(Buffer.alloc(2500, 1));
    const pieces = [f.next(room(1000), true)!, f.next(room(1000), true)!, f.next(room(1000), true)!];
    expect(pieces.map((p) => [p.fragment.seq, p.fragment.fragmentation, p.fragment.data.length])).toEqual([
      [1, 'begin', 1000],
      [2, 'middle', 1000],
      [3, 'end', 500],
    ]);
    expect(f.next(room(1000), true)).toBeUndefined();
  });

  it('waits for the congestion window, and never cuts tiny fragments', () => {
    const f = flow();
    f.write(Buffer.alloc(500));
    expect(f.next(room(1000), false)).toBeUndefined();
    expect(f.next(room(20), true)).toBeUndefined();
    expect(f.next(room(1000), true)!.fragment.data.length).toBe(500);
  });

  it('deems a fragment lost after three acks of later transmissions, and sends it again first', () => {
    const f = flow();
    for (let i = 0; i < 5; i++) f.write(Buffer.alloc(100, i));
    for (let tx = 1; tx <= 5; tx++) f.sent(f.next(room(1000), true)!.fragment, false, tx, 0);
    expect(f.inFlight).toBe(500);
    // Fragment 2 is missing; 3, 4, 5 arrive one by one.
    expect(f.onAck(64, 1, [{ from: 3, to: 3 }]).lostBytes).toBe(0);
    expect(f.onAck(64, 1, [{ from: 3, to: 4 }]).lostBytes).toBe(0);
    const third = f.onAck(64, 1, [{ from: 3, to: 5 }]);
    expect(third.lostBytes).toBe(100);
    expect(third.lostTx).toBe(2);
    expect(f.inFlight).toBe(0);
    f.write(Buffer.alloc(100, 9));
    const again = f.next(room(1000), true)!;
    expect(again.fragment.seq).toBe(2);
    expect(again.abandon).toBe(false);
    expect(f.retransmissions).toBe(1);
  });

  it('abandons a message past its deadline: unsent parts dropped, lost parts sent empty, FSN moved on', () => {
    const f = flow();
    f.write(Buffer.alloc(3000), 100);
    f.write(Buffer.from('reliable'));
    const first = f.next(room(1000), true)!;
    f.sent(first.fragment, false, 1, 0);
    expect(f.forwardSequenceNumber()).toBe(0);
    expect(f.abandonExpired(99)).toBe(0);
    expect(f.abandonExpired(100)).toBe(1);
    expect(f.abandonedMessages).toBe(1);
    // The rest of the abandoned message is never cut; the next message follows.
    const next = f.next(room(1000), true)!;
    expect(next.fragment.data.toString()).toBe('reliable');
    expect(next.fragment.seq).toBe(2);
    f.sent(next.fragment, false, 2, 0);
    // Fragment 1 no longer holds the forward sequence number back.
    expect(f.forwardSequenceNumber()).toBe(1);
    // When fragment 1 is lost, it goes again without its data.
    f.onTimeout();
    const empty = f.next(room(1000), true)!;
    expect(empty.fragment.seq).toBe(1);
    expect(empty.abandon).toBe(true);
  });

  it('respects the receiver window and reports it closed', () => {
    const f = flow();
    f.write(Buffer.alloc(5000));
    f.onAck(2, 0, []);
    expect(f.peerWindow).toBe(2048);
    const a = f.next(room(1200), true)!;
    f.sent(a.fragment, false, 1, 0);
    const b = f.next(room(1200), true)!;
    expect(b.fragment.data.length).toBe(2048 - 1200);
    f.sent(b.fragment, false, 2, 0);
    expect(f.next(room(1200), true)).toBeUndefined();
    f.onAck(0, 2, []);
    expect(f.windowClosed).toBe(true);
    f.onAck(4, 2, []);
    expect(f.windowClosed).toBe(false);
  });

  it('finishes with a FIN and completes once everything is acknowledged', () => {
    const f = flow();
    f.write(Buffer.from('bye'));
    f.close();
    expect(f.write(Buffer.from('late'))).toBe(false);
    const data = f.next(room(1000), true)!;
    const fin = f.next(room(1000), true)!;
    expect(fin.fragment.final).toBe(true);
    expect(fin.abandon).toBe(true);
    f.sent(data.fragment, false, 1, 0);
    f.sent(fin.fragment, true, 2, 0);
    f.onAck(64, 2, []);
    expect(f.state).toBe('complete');
  });

  it('a flow exception drops everything and finishes the flow', () => {
    const f = flow();
    f.write(Buffer.alloc(10_000));
    f.onException(3);
    expect(f.exception).toBe(3);
    expect(f.unsentBytes).toBe(0);
    const fin = f.next(room(1000), true)!;
    expect(fin.fragment.final).toBe(true);
  });
});
