import { describe, expect, it } from 'vitest';
import {
  RtmfpInitiator,
  RtmfpResponder,
  createIdentity,
  flashClientIdentity,
  peerEpd,
  serverEpd,
  serverIdentity,
  type RtmfpIdentity,
} from '../src/index.js';
import { expectWorkingSession, handshake } from './helpers/handshake.js';
import { seededRandom } from './helpers/random.js';

const URL = 'rtmfp://127.0.0.1:1935/live';

function pair(client: RtmfpIdentity, server: RtmfpIdentity, seed: string, epd = serverEpd(URL)) {
  const initiator = new RtmfpInitiator({ epd, sessionId: 0x11223344, identity: client, random: seededRandom(`i${seed}`) });
  const responder = new RtmfpResponder({ identity: server, random: seededRandom(`r${seed}`), now: () => 1_700_000_000_000 });
  return { initiator, responder };
}

describe('client ↔ server handshake in memory', () => {
  it('a Flash-shaped client and our default server agree in group 2', () => {
    const { initiator, responder } = pair(flashClientIdentity(seededRandom('c1')), serverIdentity({ random: seededRandom('s1') }), '1');
    const { client, server } = handshake(initiator, responder);
    expect(client.group).toBe(2);
    expect(initiator.state).toBe('open');
    expect(initiator.result).toBe(client);
    expect(server.peerCertificate.fingerprint).toEqual(initiator.identity.decoded.fingerprint);
    expect(client.peerCertificate.fingerprint).toEqual(responder.fingerprint);
    expectWorkingSession(client, server);
  });

  it('a client with static keys in groups 14 and 2 agrees in group 14', () => {
    const clientIdentity = createIdentity({ keys: 'static', groups: [14, 2], random: seededRandom('c2') });
    const { initiator, responder } = pair(clientIdentity, serverIdentity({ random: seededRandom('s2') }), '2');
    const { client, server } = handshake(initiator, responder);
    expect(client.group).toBe(14);
    expect(server.farComponent.subarray(0, 3)).toEqual(Buffer.from([0x02, 0x1d, 0x0e])); // SKIC selects group 14
    expectWorkingSession(client, server);
  });

  it('an ephemeral-key client agrees in group 14 (the SKIC carries its key)', () => {
    const clientIdentity = createIdentity({ keys: 'ephemeral', groups: [14], random: seededRandom('c3') });
    const { initiator, responder } = pair(clientIdentity, serverIdentity({ random: seededRandom('s3') }), '3');
    const { client, server } = handshake(initiator, responder);
    expect(client.group).toBe(14);
    expect(client.nearComponent.subarray(0, 3)).toEqual(Buffer.from([0x82, 0x02, 0x0d])); // 258-byte ephemeral key option
    expectWorkingSession(client, server);
  });

  it('an ephemeral-key client agrees in group 2', () => {
    const clientIdentity = createIdentity({ keys: 'ephemeral', groups: [2], random: seededRandom('c4') });
    const { initiator, responder } = pair(clientIdentity, serverIdentity({ random: seededRandom('s4') }), '4');
    const { client, server } = handshake(initiator, responder);
    expect(client.group).toBe(2);
    expectWorkingSession(client, server);
  });

  it('a static-key server (its keys in the certificate) works with static and ephemeral clients, groups 2 and 14', () => {
    for (const [keys, group] of [['static', 2], ['ephemeral', 2], ['static', 14], ['ephemeral', 14]] as const) {
      const serverStatic = createIdentity({ keys: 'static', groups: [group], acceptsAncillaryData: true, random: seededRandom(`ss${group}`) });
      const clientIdentity = createIdentity({ keys, groups: [group], random: seededRandom(`cs${keys}${group}`) });
      const { initiator, responder } = pair(clientIdentity, serverStatic, `5${keys}${group}`);
      const { client, server } = handshake(initiator, responder);
      expect(client.group).toBe(group);
      expect(server.nearComponent.subarray(-66, -64)).toEqual(Buffer.from([0x41, 0x0e])); // SKRC ends in extra randomness, no key
      expectWorkingSession(client, server);
    }
  });

  it("the initiator's preference decides among groups both sides have", () => {
    const clientIdentity = createIdentity({ keys: 'static', groups: [2, 14], random: seededRandom('c6') });
    const { initiator, responder } = pair(clientIdentity, serverIdentity({ random: seededRandom('s6'), groups: [14, 2] }), '6');
    expect(handshake(initiator, responder).client.group).toBe(2);
  });

  it('connects to a peer by its peer id (EPD = fingerprint) with static keys on both sides', () => {
    const peer = createIdentity({ keys: 'static', groups: [2], random: seededRandom('peer') });
    const { initiator, responder } = pair(flashClientIdentity(seededRandom('c7')), peer, '7', peerEpd(peer.decoded.fingerprint));
    const { client, server } = handshake(initiator, responder);
    expect(client.peerCertificate.fingerprint).toEqual(peer.decoded.fingerprint);
    expectWorkingSession(client, server);
  });

  it('each handshake gives fresh keys (new randomness in the components)', () => {
    const identity = flashClientIdentity(seededRandom('c8'));
    const server = serverIdentity({ random: seededRandom('s8') });
    const a = pair(identity, server, '8a');
    const b = pair(identity, server, '8b');
    const first = handshake(a.initiator, a.responder);
    const second = handshake(b.initiator, b.responder);
    expect(first.client.keys.encryptKey).not.toEqual(second.client.keys.encryptKey);
    expect(first.client.peerCertificate.fingerprint).toEqual(second.client.peerCertificate.fingerprint); // same server identity
  });

  it('runs with real randomness and the real clock by default', () => {
    const initiator = new RtmfpInitiator({ epd: serverEpd(URL), sessionId: 1 });
    const responder = new RtmfpResponder();
    const { client, server } = handshake(initiator, responder);
    expect(initiator.tag).toHaveLength(16);
    expect(initiator.identity.certificate).toHaveLength(132);
    expectWorkingSession(client, server);
  });
});
