import { decodeAmf0Values } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import {
  DH_GROUP_2,
  DhKeyPair,
  PacketCipher,
  RtmfpResponder,
  decodeCertificate,
  decodeChunk,
  decodeEpd,
  decodeKeyingComponent,
  deriveSessionKeys,
  encodeIHello,
  encodeIIKeying,
  encodeRHello,
  encodeRIKeying,
  flashClientIdentity,
  RtmfpInitiator,
  sealStartupPacket,
  serverEpd,
  flowFragments,
  openPacket,
  openStartupPacket,
  peekSessionId,
  serverIdentity,
  type Chunk,
  type IHelloChunk,
  type IIKeyingChunk,
  type RHelloChunk,
  type RIKeyingChunk,
  type UserDataChunk,
} from '../src/index.js';
import { captured, capturedNotes } from './helpers/capture.js';
import { hex } from './helpers/hex.js';
import { scriptedRandom, seededRandom } from './helpers/random.js';

// Test vector #2: Flash Player 11.7 ("WIN 11,7,700,202") against go-rtmfp, from optman/go-rtmfp's
// data/ folder. The server's private exponent is known: the group 2 prime with its top byte
// replaced by 00 (rtmfp.md §2.6), so every session packet can be decrypted.

const HANDSHAKE = ['IHello', 'RHello', 'IIKeying', 'RIKeying'] as const;
const SESSION = ['5', '6', '7', '8', '9', '10', '11'] as const;

function only(name: string): Chunk {
  const packet = openStartupPacket(captured(name));
  expect(packet.mode).toBe('startup');
  expect(packet.chunks).toHaveLength(1);
  return decodeChunk(packet.chunks[0]!);
}

const ihello = () => only('IHello') as IHelloChunk;
const rhello = () => only('RHello') as RHelloChunk;
const iikeying = () => only('IIKeying') as IIKeyingChunk;
const rikeying = () => only('RIKeying') as RIKeyingChunk;

function serverPrivateKey(): Buffer {
  const x = Buffer.from(DH_GROUP_2.prime);
  x[0] = 0;
  return x;
}

/** The two keys of decrypted.txt, as written there. */
function notedKeys(): { initiatorToResponder: string; responderToInitiator: string } {
  const notes = capturedNotes();
  return {
    initiatorToResponder: /initiator->responder key ([0-9a-f]{32})/.exec(notes)![1]!,
    responderToInitiator: /responder->initiator key ([0-9a-f]{32})/.exec(notes)![1]!,
  };
}

function sessionKeys() {
  const iik = iikeying();
  const rik = rikeying();
  const server = new DhKeyPair(DH_GROUP_2, serverPrivateKey());
  const secret = server.computeSecret(decodeCertificate(iik.certificate).staticKeys.get(2)!);
  return { secret, ...deriveSessionKeys(secret, rik.skrc, iik.skic) }; // seen from the responder
}

describe('the Flash Player 11.7 capture: handshake', () => {
  it('every handshake datagram opens under the default key, startup mode, timestamps present (flags 0b)', () => {
    for (const name of HANDSHAKE) {
      const packet = openStartupPacket(captured(name));
      expect(packet).toMatchObject({ mode: 'startup', timeCritical: false, timeCriticalReverse: false, timestampEcho: undefined });
      expect(packet.timestamp).toBeTypeOf('number');
    }
    expect(openStartupPacket(captured('IHello')).timestamp).toBe(0x1e60);
  });

  it('IHello: the URI as ancillary data, then a 16-byte tag', () => {
    const chunk = ihello();
    expect(decodeEpd(chunk.epd).ancillaryData?.toString()).toBe('rtmfp://192.168.137.183/');
    expect(chunk.tag).toEqual(hex`2175b73f525fa0dd1f75ae339a706cc3`);
    expect(peekSessionId(captured('IHello'))).toBe(0);
  });

  it('RHello: our tag, a 64-byte cookie, a Cumulus-style certificate offering groups 2, 5 and 14', () => {
    const chunk = rhello();
    expect(chunk.tagEcho).toEqual(ihello().tag);
    expect(chunk.cookie).toHaveLength(64);
    const cert = decodeCertificate(chunk.certificate);
    expect(cert).toMatchObject({ acceptsAncillaryData: true, isStatic: false, ephemeralGroups: [2, 5, 14] });
    expect(cert.raw.subarray(0, 4)).toEqual(hex`01 0a 41 0e`);
  });

  it("IIKeying: Flash's session id, the cookie back, a 132-byte static group 2 certificate, Flash's SKIC, 'X'", () => {
    const chunk = iikeying();
    expect(chunk.initiatorSessionId).toBe(0x02000000);
    expect(chunk.cookie).toEqual(rhello().cookie);
    expect(chunk.certificate).toHaveLength(132);
    expect(chunk.certificate.subarray(0, 4)).toEqual(hex`81 02 1d 02`);
    expect(chunk.skic).toHaveLength(76);
    expect(decodeKeyingComponent(chunk.skic)).toMatchObject({ groupSelect: 2, hmac: { flags: 2, length: 10 }, sseq: { flags: 2 } });
    expect(chunk.skic.subarray(0, 5)).toEqual(hex`02 1d 02 41 0e`);
    expect(chunk.skic.subarray(-7)).toEqual(hex`03 1a 02 0a 02 1e 02`);
    expect(chunk.signature).toEqual(hex`58`);
  });

  it('the peer id is SHA-256 of the 132-byte certificate', () => {
    expect(decodeCertificate(iikeying().certificate).fingerprint.toString('hex')).toBe('9210df7cb656cad82a607efd810e6c3f922a062ec7dae6df0f39e8a7248dcbf8');
  });

  it("RIKeying: sent to Flash's session id under the default key, responder id 1, Cumulus-style SKRC, 'X'", () => {
    expect(peekSessionId(captured('RIKeying'))).toBe(0x02000000);
    const chunk = rikeying();
    expect(chunk.responderSessionId).toBe(1);
    expect(chunk.skrc).toHaveLength(139);
    expect(chunk.skrc.subarray(0, 11)).toEqual(hex`03 1a 00 00 02 1e 00 81 02 0d 02`);
    expect(chunk.signature).toEqual(hex`58`);
  });

  it("the server's ephemeral key is 2^x mod p for the known private exponent", () => {
    const server = new DhKeyPair(DH_GROUP_2, serverPrivateKey());
    expect(decodeKeyingComponent(rikeying().skrc).ephemeralKeys.get(2)).toEqual(server.publicKey);
  });

  it('derives the two keys written in decrypted.txt (RFC 7425 key derivation over the raw SKIC and SKRC)', () => {
    const keys = sessionKeys();
    expect(keys.secret).toHaveLength(128);
    expect(keys.decryptKey.toString('hex')).toBe(notedKeys().initiatorToResponder);
    expect(keys.encryptKey.toString('hex')).toBe(notedKeys().responderToInitiator);
    expect(keys.decryptKey.toString('hex')).toBe('ca3e6206c4fe662bbd950e8d03574e35');
    expect(keys.encryptKey.toString('hex')).toBe('bc4b145aafb0f8287b3cf87bd036acf0');
  });

  it('the session nonces are HMAC(secret, component), as noted', () => {
    const keys = sessionKeys();
    const notes = capturedNotes();
    expect(notes).toContain(keys.farNonce.toString('hex')); // HMAC(secret, SKIC)
    expect(notes).toContain(keys.nearNonce.toString('hex')); // HMAC(secret, SKRC)
  });
});

describe('the Flash Player 11.7 capture: session packets', () => {
  function open(name: string) {
    const keys = sessionKeys();
    const datagram = captured(name);
    const toResponder = peekSessionId(datagram) === 1;
    const packet = openPacket(datagram, new PacketCipher(toResponder ? keys.decryptKey : keys.encryptKey));
    return { toResponder, packet, chunks: packet.chunks.map(decodeChunk) };
  }

  it('every packet decrypts under the derived key of its direction, with a good checksum and the right mode', () => {
    for (const name of SESSION) {
      const { toResponder, packet } = open(name);
      expect(packet.mode).toBe(toResponder ? 'initiator' : 'responder');
      expect(packet.sessionId).toBe(toResponder ? 1 : 0x02000000);
    }
    expect(SESSION.filter((name) => open(name).toResponder)).toEqual(['5', '7', '8', '10', '11']);
  });

  it('packet 5: Flash opens flow 2 with metadata TC 04 00 and sends connect (flags 8d: TC, timestamp and echo)', () => {
    const { packet, chunks } = open('5');
    expect(packet).toMatchObject({ timeCritical: true, timestamp: 0x1e70, timestampEcho: 0x6451 });
    const [userData] = chunks as [UserDataChunk];
    expect(userData).toMatchObject({ kind: 'user-data', flowId: 2, sequenceNumber: 1, fsnOffset: 1, options: { metadata: hex`54 43 04 00` } });
    expect(userData.data.subarray(0, 5)).toEqual(hex`14 00 00 00 00`); // TC message: AMF0 command, time 0
    const [name, transactionId, commandObject] = decodeAmf0Values(userData.data.subarray(5));
    expect([name, transactionId]).toEqual(['connect', 1]);
    expect(commandObject).toMatchObject({ app: '', flashVer: 'WIN 11,7,700,202', tcUrl: 'rtmfp://192.168.137.183/', objectEncoding: 3 });
  });

  it('packet 6: the server acks flow 2 and answers on flow 1, associated with flow 2 (flags 4e)', () => {
    const { packet, chunks } = open('6');
    expect(packet).toMatchObject({ timeCriticalReverse: true, timestamp: 0x6455, timestampEcho: 0x1e70 });
    expect(chunks[0]).toEqual({ kind: 'ack-ranges', flowId: 2, bufferBlocksAvailable: 127, cumulativeAck: 1, ranges: [] });
    const userData = chunks[1] as UserDataChunk;
    expect(userData.options).toEqual({ metadata: hex`54 43 04 00`, returnFlowId: 2 });
    const [name, , , info] = decodeAmf0Values(userData.data.subarray(5));
    expect(name).toBe('_result');
    expect(info).toMatchObject({ code: 'NetConnection.Connect.Success', objectEncoding: 3 });
  });

  it('packet 7: a pure ack of flow 1 with a 16383 KiB window (flags 0d)', () => {
    const { packet, chunks } = open('7');
    expect(packet).toMatchObject({ timeCritical: false, timestamp: 0x1e76, timestampEcho: 0x6455 });
    expect(chunks).toEqual([{ kind: 'ack-ranges', flowId: 1, bufferBlocksAvailable: 16383, cumulativeAck: 1, ranges: [] }]);
  });

  it('packet 8: setPeerInfo as an AMF3 command (type 0x11) on flow 2, sequence 2', () => {
    const { chunks } = open('8');
    const [fragment] = flowFragments(chunks);
    expect(fragment).toMatchObject({ flowId: 2, sequenceNumber: 2, forwardSequenceNumber: 1 });
    expect(fragment!.data.subarray(0, 6)).toEqual(hex`11 00 00 00 82 00`); // type 17, time 0x82, the leading 00
    expect(decodeAmf0Values(fragment!.data.subarray(6))).toEqual(['setPeerInfo', 0, null, '192.168.137.1:55655', '192.168.202.99:55655']);
  });

  it('packet 9: an ack and Set Keepalive (User Control 41), the option bytes read as data because OPT is clear', () => {
    const { chunks } = open('9');
    expect(chunks[0]).toMatchObject({ kind: 'ack-ranges', flowId: 2, cumulativeAck: 2 });
    const userData = chunks[1] as UserDataChunk;
    expect(userData.options).toBeUndefined();
    expect(userData.data.subarray(0, 10)).toEqual(hex`05 00 54 43 04 00 02 0a 02 00`); // options, marker: no flag
    const message = userData.data.subarray(10);
    expect(message).toEqual(hex`
      04            # TC message type 4: User Control
      00 00 00 00   # timestamp
      00 29         # event 41: Set Keepalive
      00 00 00 0f   # server keepalive 15 (go-rtmfp sends seconds; RFC 7425 says ms)
      00 00 00 0a   # peer keepalive 10
    `);
  });

  it('packets 10 and 11: another ack, then the close acknowledgement', () => {
    expect(open('10').chunks).toEqual([{ kind: 'ack-ranges', flowId: 1, bufferBlocksAvailable: 16383, cumulativeAck: 2, ranges: [] }]);
    expect(open('11').chunks).toEqual([{ kind: 'close-ack' }]);
  });
});

describe('our state machines against the capture', () => {
  const FLASH = { host: '192.168.137.1', port: 55655 };

  it('our responder answers a replay of the captured IHello with a well-formed RHello', () => {
    const responder = new RtmfpResponder({ random: seededRandom('replay'), now: () => 1_000_000 });
    const answer = responder.handleIHello(ihello(), FLASH);
    expect(answer).toBeDefined();
    const datagram = sealStartupPacket([encodeRHello(answer!)], { timestamp: 0x6449 });
    const packet = openStartupPacket(datagram);
    expect(packet).toMatchObject({ sessionId: 0, mode: 'startup', timestamp: 0x6449 });
    const parsed = decodeChunk(packet.chunks[0]!) as RHelloChunk;
    expect(parsed.kind).toBe('rhello');
    expect(parsed.tagEcho).toEqual(ihello().tag);
    expect(parsed.cookie.length).toBeGreaterThan(64);
    const cert = decodeCertificate(parsed.certificate);
    expect(cert).toMatchObject({ acceptsAncillaryData: true, isStatic: false, ephemeralGroups: [14, 2] });
    expect(cert.fingerprint).toEqual(responder.fingerprint);
  });

  it('our responder refuses the captured IIKeying: its cookie was issued by another server', () => {
    const responder = new RtmfpResponder({ random: seededRandom('replay'), now: () => 1_000_000 });
    expect(() => responder.handleIIKeying(iikeying(), FLASH, () => 1)).toThrow(expect.objectContaining({ problem: 'cookie' }));
  });

  it("our responder, given the server's private exponent, answers Flash's keying with the captured RIKeying byte for byte", () => {
    const responder = new RtmfpResponder({
      identity: serverIdentity({ random: seededRandom('id'), groups: [2] }),
      random: seededRandom('r'),
      now: () => 5_000,
      ephemeralKeyPair: (group) => new DhKeyPair(group, serverPrivateKey()),
    });
    const cookie = responder.handleIHello(ihello(), FLASH)!.cookie;
    const outcome = responder.handleIIKeying({ ...iikeying(), cookie }, FLASH, () => 1);
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') return;
    expect(encodeRIKeying(outcome.rikeying)).toEqual(openStartupPacket(captured('RIKeying')).chunks[0]);
    expect(outcome.result).toMatchObject({ role: 'responder', nearSessionId: 1, farSessionId: 0x02000000, group: 2 });
    expect(outcome.result.keys.decryptKey.toString('hex')).toBe(notedKeys().initiatorToResponder);
    expect(outcome.result.keys.encryptKey.toString('hex')).toBe(notedKeys().responderToInitiator);
    expect(outcome.result.peerCertificate.fingerprint.toString('hex')).toMatch(/^9210df7c/);
    // and Flash's first session packet opens with what we derived
    expect(decodeChunk(openPacket(captured('5'), new PacketCipher(outcome.result.keys.decryptKey)).chunks[0]!).kind).toBe('user-data');
  });

  it("our Flash-shaped client, given Flash's tag, sends the captured IHello datagram byte for byte", () => {
    const initiator = new RtmfpInitiator({
      epd: serverEpd('rtmfp://192.168.137.183/'),
      sessionId: 0x02000000,
      identity: flashClientIdentity(seededRandom('client')),
      random: scriptedRandom(ihello().tag),
    });
    expect(sealStartupPacket([encodeIHello(initiator.ihello())], { timestamp: 0x1e60 })).toEqual(captured('IHello'));
  });

  it("our Flash-shaped client answers the captured RHello with an IIKeying laid out exactly like Flash's", () => {
    const flash = iikeying();
    const randomness = decodeKeyingComponent(flash.skic).extraRandomness!;
    const initiator = new RtmfpInitiator({
      epd: serverEpd('rtmfp://192.168.137.183/'),
      sessionId: 0x02000000,
      identity: flashClientIdentity(seededRandom('client')),
      random: scriptedRandom(ihello().tag, randomness),
    });
    const ours = initiator.handleRHello(rhello());
    expect(initiator.state).toBe('keying');
    expect(ours.skic).toEqual(flash.skic); // group select 2, the same randomness, HMAC and sseq on request
    expect(ours.cookie).toEqual(flash.cookie);
    expect(ours.certificate).toHaveLength(132);
    expect(ours.certificate.subarray(0, 4)).toEqual(hex`81 02 1d 02`);
    // Everything but the public key in the certificate is the same bytes:
    expect(encodeIIKeying({ ...ours, certificate: flash.certificate })).toEqual(openStartupPacket(captured('IIKeying')).chunks[0]);
  });
});
