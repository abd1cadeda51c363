import { describe, expect, it } from 'vitest';
import { RtmfpSessionMachine, decodePlainPacket, type OutgoingPacket } from '../src/index.js';
import { hex } from './helpers/hex.js';
import { MachinePair } from './helpers/machine-pair.js';

/**
 * The last packet rtmfp-cpp's tcpublish sent when its file ended (it closes its session at
 * once: RTMFP::shutdown(true), Session::close(false)), decrypted by our server on loopback.
 * A session close ack with nothing before it is an abrupt close (RFC 7016 §3.5.5.2): the peer
 * has already forgotten the session and will not answer anything we send.
 */
const abruptCloseFromInitiator = hex`
  1bac          # checksum
  09            # flags: TS, mode 1 (initiator)
  07db          # timestamp
  4c 0000       # session close ack, no payload
  ff ff ff ff ff ff ff ff   # padding to 16 bytes
`;

function machine(): { machine: RtmfpSessionMachine; closed: (Error | null)[] } {
  const closed: (Error | null)[] = [];
  const m = new RtmfpSessionMachine(1_000, { incomingFlow: (flow) => flow.accept(() => {}), closed: (error) => closed.push(error ?? null) });
  return { machine: m, closed };
}

const kinds = (packets: OutgoingPacket[]): number[] => packets.flatMap((packet) => packet.chunks.map((chunk) => chunk.type));

describe('a session close ack from the peer while the session is open (abrupt close)', () => {
  it('rtmfp-cpp\'s bytes: the session closes at once, reported without an error, and answers with one close ack', () => {
    const packet = decodePlainPacket(abruptCloseFromInitiator);
    expect(packet.mode).toBe('initiator');
    expect(packet.chunks).toEqual([{ type: 0x4c, payload: Buffer.alloc(0) }]);
    const { machine: server, closed } = machine();
    const flow = server.openFlow({ metadata: Buffer.from('TC\x04\x00', 'latin1') });
    flow.write(Buffer.from('never acknowledged'));
    server.receive(packet, 1_100);
    expect(server.state).toBe('closed');
    expect(closed).toEqual([null]);
    const out = server.poll(1_100);
    expect(kinds(out)).toEqual([0x4c]); // only the close ack: no data, no close request
    expect(server.nextWakeup()).toBeUndefined();
    expect(server.poll(200_000)).toEqual([]);
  });

  it('also while our own flows are finishing (closing) and while we linger after the peer\'s close request', () => {
    const closing = machine();
    closing.machine.openFlow({ metadata: Buffer.from('TC\x04\x00', 'latin1') }).write(Buffer.alloc(10));
    closing.machine.close();
    expect(closing.machine.state).toBe('closing');
    closing.machine.receive(decodePlainPacket(abruptCloseFromInitiator), 1_100);
    expect(closing.machine.state).toBe('closed');
    expect(closing.closed).toEqual([null]);

    const lingering = machine();
    lingering.machine.receive({ chunks: [{ type: 0x0c, payload: Buffer.alloc(0) }] }, 1_050);
    expect(lingering.machine.state).toBe('farclose');
    lingering.machine.poll(1_050);
    lingering.machine.receive(decodePlainPacket(abruptCloseFromInitiator), 1_100);
    expect(lingering.machine.state).toBe('closed');
    expect(lingering.closed).toEqual([null]);
    expect(lingering.machine.poll(1_100)).toEqual([]); // it had answered the close request already
  });

  it('the close ack we answer with closes a peer that still holds the session, within one round trip', () => {
    const pair = new MachinePair();
    pair.a.openFlow({ metadata: Buffer.from('TC\x04\x00', 'latin1') }).write(Buffer.from('hello'));
    pair.run(50);
    pair.b.receive(decodePlainPacket(abruptCloseFromInitiator), pair.now);
    pair.run(50);
    expect(pair.closed).toEqual({ a: null, b: null });
    expect(pair.a.state).toBe('closed');
    expect(pair.b.state).toBe('closed');
  });
});
