import type { IncomingSession, Session } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NO_PACKET_PROTECTION,
  RtmfpEndpoint,
  RtmfpInitiator,
  RtmfpResponder,
  decodeKeyingComponent,
  flashClientIdentity,
  initiatorNegotiationOptions,
  negotiateProtection,
  responderNegotiationOptions,
  rtmfp,
  rtmfpSessionInfo,
  serverEpd,
  serverIdentity,
  type EndpointSession,
  type PacketProtection,
} from '../src/index.js';
import { handshake, expectWorkingSession } from './helpers/handshake.js';
import { hex } from './helpers/hex.js';
import { seededRandom } from './helpers/random.js';

// Per-packet HMAC (RFC 7425 §4.6.3) and session sequence numbers (§4.6.4), which rtmfp-cpp's
// tcserver, tcconn and tcpublish require unless run with -H -S.

const both = (send: number, recv: number): PacketProtection => ({ sendHmacLength: send, recvHmacLength: recv, sendSequenceNumbers: true, recvSequenceNumbers: true });
const settle = (policy: 'on-request' | 'required', options: Buffer, role: 'initiator' | 'responder') => negotiateProtection(policy, decodeKeyingComponent(options), role);

describe('negotiation (flags 0x04 always send, 0x02 send on request, 0x01 request)', () => {
  it('our initiator offers Flash Player\'s bytes by default, rtmfp-cpp\'s with the required policy', () => {
    expect(initiatorNegotiationOptions('on-request')).toEqual(hex`03 1a 02 0a   02 1e 02`);
    expect(initiatorNegotiationOptions('required')).toEqual(hex`03 1a 07 10   02 1e 07`);
  });

  it('we send what the peer requests and check what it always sends', () => {
    expect(settle('on-request', hex`03 1a 02 0a  02 1e 02`, 'responder')).toEqual(NO_PACKET_PROTECTION); // Flash Player, or rtmfp-cpp with -H -S
    expect(settle('on-request', hex`03 1a 00 00  02 1e 00`, 'initiator')).toEqual(NO_PACKET_PROTECTION); // a Flash-era server's decline
    expect(settle('on-request', hex`03 1a 07 10  02 1e 07`, 'responder')).toEqual(both(16, 16)); // tcconn's SKIC
    expect(settle('on-request', hex`02 1e 07  03 1a 07 10`, 'initiator')).toEqual(both(10, 16)); // tcserver's SKRC: we send the 10 bytes we offered
    expect(settle('on-request', hex`03 1a 01 00  02 1e 01`, 'responder')).toEqual({ sendHmacLength: 16, recvHmacLength: 0, sendSequenceNumbers: true, recvSequenceNumbers: false });
    expect(settle('on-request', hex`03 1a 04 08  02 1e 04`, 'responder')).toEqual({ sendHmacLength: 0, recvHmacLength: 8, sendSequenceNumbers: false, recvSequenceNumbers: true });
    expect(settle('on-request', hex`03 1a 04 08`, 'responder')).toMatchObject({ sendSequenceNumbers: false, recvSequenceNumbers: false }); // no sseq option: none
    expect(settle('required', hex`03 1a 02 0a  02 1e 02`, 'responder')).toEqual(both(16, 10));
  });

  it('refuses what cannot work: a required policy meeting a peer that sends neither, or an HMAC length outside 4..32', () => {
    const problem = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as { problem?: string }).problem;
      }
      return undefined;
    };
    expect(problem(() => settle('required', hex`03 1a 00 00  02 1e 00`, 'initiator'))).toBe('negotiation');
    expect(problem(() => settle('required', hex`03 1a 02 10`, 'initiator'))).toBe('negotiation'); // no sequence numbers offered
    expect(problem(() => settle('on-request', hex`03 1a 04 03`, 'responder'))).toBe('negotiation');
    expect(problem(() => settle('on-request', hex`03 1a 04 21`, 'responder'))).toBe('negotiation');
    expect(problem(() => settle('on-request', hex`03 1a 01 21`, 'responder'))).toBeUndefined(); // its length matters only if it sends
  });

  it('the responder answers with the decline Flash Player knows, or with what it will do', () => {
    expect(responderNegotiationOptions(NO_PACKET_PROTECTION)).toEqual(hex`03 1a 00 00   02 1e 00`);
    expect(responderNegotiationOptions(both(16, 16))).toEqual(hex`03 1a 07 10   02 1e 07`);
    expect(responderNegotiationOptions({ sendHmacLength: 16, recvHmacLength: 0, sendSequenceNumbers: false, recvSequenceNumbers: true })).toEqual(hex`03 1a 06 10   02 1e 03`);
  });
});

describe('handshakes in memory', () => {
  const run = (initiatorPolicy: 'on-request' | 'required', responderPolicy: 'on-request' | 'required') => {
    const responder = new RtmfpResponder({ identity: serverIdentity({ random: seededRandom('s') }), random: seededRandom('r'), protection: responderPolicy });
    const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://localhost/'), sessionId: 7, identity: flashClientIdentity(seededRandom('c')), random: seededRandom('i'), protection: initiatorPolicy });
    return handshake(initiator, responder);
  };

  it('Flash-shaped on both sides: nothing is added, and the SKRC keeps the Cumulus / MonaServer layout', () => {
    const { client, server } = run('on-request', 'on-request');
    expect(client.protection).toEqual(NO_PACKET_PROTECTION);
    expect(server.protection).toEqual(NO_PACKET_PROTECTION);
    expect(server.nearComponent.subarray(0, 7)).toEqual(hex`03 1a 00 00 02 1e 00`);
    expectWorkingSession(client, server);
  });

  it('a required responder (rtmfp-cpp\'s default) and our default initiator agree on both, each way', () => {
    const { client, server } = run('on-request', 'required');
    expect(server.nearComponent.subarray(0, 7)).toEqual(hex`03 1a 07 10 02 1e 07`);
    expect(client.protection).toEqual(both(10, 16));
    expect(server.protection).toEqual(both(16, 10));
    expect(client.keys.sendHmacKey).toEqual(server.keys.recvHmacKey);
    expect(client.keys.recvHmacKey).toEqual(server.keys.sendHmacKey);
    expect(client.keys.sendHmacKey).not.toEqual(client.keys.recvHmacKey);
  });

  it('a required initiator and our default responder', () => {
    const { client, server } = run('required', 'on-request');
    expect(client.nearComponent.subarray(-7)).toEqual(hex`03 1a 07 10 02 1e 07`);
    expect(client.protection).toEqual(both(16, 16));
    expect(server.protection).toEqual(both(16, 16));
  });
});

describe('over UDP', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close().catch(() => {});
  });

  async function pair(client: 'on-request' | 'required', server: 'on-request' | 'required'): Promise<{ client: Session; server: Session }> {
    const listener = await rtmfp({ endpoint: { protection: server } }).listen({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => listener.close());
    const iterator = listener[Symbol.asyncIterator]();
    const connecting = rtmfp({ endpoint: { protection: client } }).connect(`rtmfp://127.0.0.1:${listener.address.port}/app`);
    const incoming = (await iterator.next()).value as IncomingSession;
    const accepted = await incoming.accept();
    const connected = await connecting;
    cleanup.push(() => connected.close());
    return { client: connected, server: accepted };
  }

  it('a required client and a default server, and the reverse: protected both ways, commands answered', async () => {
    for (const [clientPolicy, serverPolicy] of [['required', 'on-request'], ['on-request', 'required']] as const) {
      const { client, server } = await pair(clientPolicy, serverPolicy);
      const sent = rtmfpSessionInfo(client)!.protection;
      expect(sent.sendSequenceNumbers && sent.recvSequenceNumbers).toBe(true);
      expect(sent.sendHmacLength).toBe(rtmfpSessionInfo(server)!.protection.recvHmacLength);
      expect(sent.recvHmacLength).toBe(rtmfpSessionInfo(server)!.protection.sendHmacLength);
      expect(sent.sendHmacLength).toBeGreaterThan(0);
      const stream = await client.createStream(); // a command and its answer: both directions decode
      expect(stream).toBeDefined();
      expect(rtmfpSessionInfo(client)!.stats.packetsReceived).toBeGreaterThan(0);
    }
  });

  it('a replayed datagram is dropped by its sequence number; a forged HMAC too; the session carries on', async () => {
    const server = await RtmfpEndpoint.bind('127.0.0.1', 0);
    cleanup.push(() => server.close());
    const sessions: EndpointSession[] = [];
    server.accept({ onSession: (session) => sessions.push(session) });
    const client = await RtmfpEndpoint.bind('127.0.0.1', 0, { protection: 'required' });
    cleanup.push(() => client.close());
    const captured: Buffer[] = [];
    const send = client.send.bind(client);
    client.send = (datagram, to) => {
      captured.push(Buffer.from(datagram));
      send(datagram, to);
    };
    const port = server.address.port;
    const session = await client.open({ epd: serverEpd(`rtmfp://127.0.0.1:${port}/app`), addresses: [{ host: '127.0.0.1', port }], timeoutMs: 5000 });
    captured.length = 0;
    session.machine.openFlow({ metadata: Buffer.from('TC\x04\x00', 'latin1') }).write(Buffer.from('once'));
    session.pollSoon();
    const started = Date.now();
    while ((captured.length === 0 || sessions.length === 0) && Date.now() - started < 3000) await new Promise((resolve) => setTimeout(resolve, 5));
    const far = sessions[0]!;
    expect(far.result.protection).toEqual(both(16, 16));
    const from = { host: '127.0.0.1', port: client.address.port };
    const replay = captured[0]!;
    expect(far.datagram(replay, from)).toBe(false); // already arrived over the socket: a repeat
    const forged = Buffer.from(replay);
    forged[forged.length - 1]! ^= 1;
    expect(far.datagram(forged, from)).toBe(false);
    expect(far.machine.state).toBe('open');
  });
});
