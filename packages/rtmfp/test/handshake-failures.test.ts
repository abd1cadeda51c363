import { HandshakeError, RtmpError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import {
  RtmfpHandshakeError,
  RtmfpInitiator,
  RtmfpResponder,
  createIdentity,
  encodeCertificate,
  flashClientIdentity,
  hmacNegotiationOption,
  peerEpd,
  serverEpd,
  serverIdentity,
  sseqNegotiationOption,
  ephemeralKeyOption,
  extraRandomnessOption,
  groupSelectOption,
  type IIKeyingChunk,
  type RHelloChunk,
} from '../src/index.js';
import { CLIENT } from './helpers/handshake.js';
import { seededRandom } from './helpers/random.js';

const server = serverIdentity({ random: seededRandom('server') });
const client = flashClientIdentity(seededRandom('client'));

function fresh(seed = 'x', identity = client) {
  const responder = new RtmfpResponder({ identity: server, random: seededRandom(`r${seed}`), now: () => 10_000 });
  const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://localhost/'), sessionId: 42, identity, random: seededRandom(`i${seed}`) });
  const rhello = responder.handleIHello(initiator.ihello(), CLIENT)!;
  return { responder, initiator, rhello };
}

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(RtmpError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(HandshakeError);
    return (error as RtmfpHandshakeError).problem;
  }
  return undefined;
}

describe('initiator refusals leave the handshake where it was', () => {
  it('an RHello with another tag', () => {
    const { initiator, rhello } = fresh();
    expect(problemOf(() => initiator.handleRHello({ ...rhello, tagEcho: Buffer.alloc(16) }))).toBe('tag');
    expect(initiator.state).toBe('hello');
    expect(initiator.handleRHello(rhello).kind).toBe('iikeying');
  });

  it('an RHello from an impostor when we asked for a peer id', () => {
    const wanted = createIdentity({ keys: 'static', groups: [2], random: seededRandom('wanted') });
    const initiator = new RtmfpInitiator({ epd: peerEpd(wanted.decoded.fingerprint), sessionId: 1, identity: client, random: seededRandom('p') });
    const impostor: RHelloChunk = { kind: 'rhello', tagEcho: initiator.tag, cookie: Buffer.alloc(8), certificate: server.certificate };
    expect(problemOf(() => initiator.handleRHello(impostor))).toBe('epd');
    expect(problemOf(() => initiator.handleRHello({ ...impostor, certificate: wanted.certificate }))).toBeUndefined();
  });

  it('a URI EPD answered by a certificate that does not accept ancillary data', () => {
    const { initiator, rhello } = fresh();
    const peerLike = createIdentity({ keys: 'static', groups: [2], random: seededRandom('peerlike') });
    expect(problemOf(() => initiator.handleRHello({ ...rhello, certificate: peerLike.certificate }))).toBe('epd');
  });

  it('no DH group in common', () => {
    const only14 = createIdentity({ keys: 'ephemeral', groups: [14], acceptsAncillaryData: true, random: seededRandom('14') });
    const { initiator, rhello } = fresh();
    expect(problemOf(() => initiator.handleRHello({ ...rhello, certificate: only14.certificate }))).toBe('group');
    const group5 = encodeCertificate({ acceptsAncillaryData: true, ephemeralGroups: [5] });
    expect(problemOf(() => initiator.handleRHello({ ...rhello, certificate: group5 }))).toBe('group');
  });

  it('a broken certificate', () => {
    const { initiator, rhello } = fresh();
    expect(problemOf(() => initiator.handleRHello({ ...rhello, certificate: Buffer.from([0x05, 0x0a]) }))).toBe('certificate');
  });

  it('chunks out of turn', () => {
    const { initiator, rhello, responder } = fresh();
    expect(problemOf(() => initiator.handleRIKeying({ kind: 'rikeying', responderSessionId: 1, skrc: Buffer.alloc(0), signature: Buffer.alloc(0) }))).toBe('state');
    expect(problemOf(() => initiator.handleCookieChange({ kind: 'cookie-change', oldCookie: rhello.cookie, newCookie: rhello.cookie }))).toBe('state');
    expect(problemOf(() => initiator.receive({ kind: 'ping', message: Buffer.alloc(0) }))).toBe('state');
    const iikeying = initiator.handleRHello(rhello);
    expect(problemOf(() => initiator.handleRHello(rhello))).toBe('state');
    expect(problemOf(() => initiator.handleRedirect({ kind: 'redirect', tagEcho: initiator.tag, addresses: [] }))).toBe('state');
    const outcome = responder.handleIIKeying(iikeying, CLIENT, () => 3);
    if (outcome.kind !== 'accepted') throw new Error('expected accepted');
    initiator.handleRIKeying(outcome.rikeying);
    expect(problemOf(() => initiator.handleRIKeying(outcome.rikeying))).toBe('state');
    expect(initiator.iikeying()).toBeUndefined();
  });

  it('a redirect hands over its addresses and keeps waiting', () => {
    const { initiator } = fresh();
    const addresses = [{ host: '192.0.2.1', port: 1935, origin: 'observed' as const }];
    expect(initiator.receive({ kind: 'redirect', tagEcho: initiator.tag, addresses })).toEqual({ kind: 'redirect', addresses });
    expect(problemOf(() => initiator.handleRedirect({ kind: 'redirect', tagEcho: Buffer.alloc(1), addresses }))).toBe('tag');
    expect(initiator.state).toBe('hello');
  });

  it('an SKRC that announces a packet HMAC of a length outside 4..32, that lacks a key, or carries a bad key', () => {
    const { initiator, rhello, responder } = fresh();
    const iikeying = initiator.handleRHello(rhello);
    const outcome = responder.handleIIKeying(iikeying, CLIENT, () => 3);
    if (outcome.kind !== 'accepted') throw new Error('expected accepted');
    const good = outcome.rikeying;
    const withSkrc = (...parts: Buffer[]) => ({ ...good, skrc: Buffer.concat(parts) });
    const key = good.skrc.subarray(7);
    expect(problemOf(() => initiator.handleRIKeying(withSkrc(hmacNegotiationOption(0x05, 3), sseqNegotiationOption(0), key)))).toBe('negotiation');
    expect(problemOf(() => initiator.handleRIKeying(withSkrc(hmacNegotiationOption(0x04, 33), sseqNegotiationOption(0x01), key)))).toBe('negotiation');
    expect(problemOf(() => initiator.handleRIKeying(withSkrc(hmacNegotiationOption(0, 0))))).toBe('keying');
    expect(problemOf(() => initiator.handleRIKeying(withSkrc(ephemeralKeyOption(2, Buffer.from([1])))))).toBe('public-key');
    expect(problemOf(() => initiator.handleRIKeying(withSkrc(Buffer.from([0x09]))))).toBe('keying');
    expect(problemOf(() => initiator.handleRIKeying({ ...good, responderSessionId: 0 }))).toBe('keying');
    expect(initiator.state).toBe('keying');
    expect(initiator.handleRIKeying(good).farSessionId).toBe(3);
  });
});

describe('responder refusals', () => {
  function keying(seed: string, change: (chunk: IIKeyingChunk) => IIKeyingChunk, identity = client) {
    const { initiator, rhello, responder } = fresh(seed, identity);
    const chunk = change(initiator.handleRHello(rhello));
    return () => responder.handleIIKeying(chunk, CLIENT, () => 3);
  }

  it('an initiator that will always send a packet HMAC of a length outside 4..32', () => {
    const short = keying('h', (c) => ({ ...c, skic: Buffer.concat([groupSelectOption(2), hmacNegotiationOption(0x04, 3)]) }));
    expect(problemOf(short)).toBe('negotiation');
    const long = keying('l', (c) => ({ ...c, skic: Buffer.concat([groupSelectOption(2), hmacNegotiationOption(0x07, 33), sseqNegotiationOption(0x01)]) }));
    expect(problemOf(long)).toBe('negotiation');
  });

  it('with the required policy: an initiator that will send neither HMAC nor sequence numbers', () => {
    const { initiator, rhello } = fresh('q');
    const strict = new RtmfpResponder({ identity: server, random: seededRandom('rq'), now: () => 10_000, protection: 'required' });
    const chunk = initiator.handleRHello(strict.handleIHello(initiator.ihello(), CLIENT) ?? rhello);
    const declined = { ...chunk, skic: Buffer.concat([groupSelectOption(2), hmacNegotiationOption(0, 0), sseqNegotiationOption(0x02)]) };
    expect(problemOf(() => strict.handleIIKeying(declined, CLIENT, () => 3))).toBe('negotiation');
    const noSseq = { ...chunk, skic: Buffer.concat([groupSelectOption(2), hmacNegotiationOption(0x02, 10)]) };
    expect(problemOf(() => strict.handleIIKeying(noSseq, CLIENT, () => 3))).toBe('negotiation');
    expect(strict.handleIIKeying(chunk, CLIENT, () => 3).kind).toBe('accepted'); // Flash's "on request" is enough
  });

  it('a static initiator without a group select, or selecting a group its certificate lacks', () => {
    expect(problemOf(keying('g1', (c) => ({ ...c, skic: extraRandomnessOption(Buffer.alloc(64)) })))).toBe('keying');
    expect(problemOf(keying('g2', (c) => ({ ...c, skic: groupSelectOption(14) })))).toBe('group');
  });

  it('an ephemeral initiator whose key is in a group we do not do', () => {
    const ephemeral = createIdentity({ keys: 'ephemeral', groups: [2], random: seededRandom('e') });
    const group5 = keying('e5', (c) => ({ ...c, skic: ephemeralKeyOption(5, Buffer.alloc(192, 0x5a)) }), ephemeral);
    expect(problemOf(group5)).toBe('group');
    const onlyFourteen = new RtmfpResponder({ identity: serverIdentity({ groups: [14], random: seededRandom('s14') }), now: () => 0 });
    const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://x/'), sessionId: 1, identity: ephemeral, random: seededRandom('i14') });
    const forced = initiator.handleRHello({ ...onlyFourteen.handleIHello(initiator.ihello(), CLIENT)!, certificate: server.certificate });
    expect(problemOf(() => onlyFourteen.handleIIKeying(forced, CLIENT, () => 1))).toBe('group');
  });

  it('a weak initiator public key', () => {
    const weak = encodeCertificate({ staticKeys: [{ group: 2, publicKey: Buffer.from([0x01, 0x00, 0x00, 0x00]) }] });
    expect(problemOf(keying('w', (c) => ({ ...c, certificate: weak })))).toBe('public-key');
  });

  it('a broken certificate or SKIC, and session id 0', () => {
    expect(problemOf(keying('c', (c) => ({ ...c, certificate: Buffer.from([0x01, 0x0a]) })))).toBe('certificate');
    expect(problemOf(keying('k', (c) => ({ ...c, skic: Buffer.from([0x07, 0x1d]) })))).toBe('keying');
    expect(problemOf(keying('z', (c) => ({ ...c, initiatorSessionId: 0 })))).toBe('keying');
  });

  it('does not answer an IHello meant for someone else', () => {
    const responder = new RtmfpResponder({ identity: server, random: seededRandom('o'), now: () => 0 });
    const other = createIdentity({ keys: 'static', groups: [2], random: seededRandom('other') });
    expect(responder.handleIHello({ kind: 'ihello', epd: peerEpd(other.decoded.fingerprint), tag: Buffer.alloc(16) }, CLIENT)).toBeUndefined();
    expect(responder.handleIHello({ kind: 'ihello', epd: peerEpd(responder.fingerprint), tag: Buffer.alloc(16) }, CLIENT)).toBeDefined();
    expect(problemOf(() => responder.handleIHello({ kind: 'ihello', epd: Buffer.from([0x02, 0x33, 0x00]), tag: Buffer.alloc(16) }, CLIENT))).toBe('epd');
  });

  it('receive() dispatches IHello and IIKeying, says when an IHello is not for us, and refuses the rest', () => {
    const { initiator, responder } = fresh('dispatch');
    expect(responder.receive(initiator.ihello(), CLIENT, () => 1).kind).toBe('rhello');
    const other = createIdentity({ keys: 'static', groups: [2], random: seededRandom('other2') });
    const stranger = { kind: 'ihello' as const, epd: peerEpd(other.decoded.fingerprint), tag: Buffer.alloc(16) };
    expect(responder.receive(stranger, CLIENT, () => 1)).toEqual({ kind: 'not-for-us', ihello: stranger });
    expect(problemOf(() => responder.receive({ kind: 'close' }, CLIENT, () => 1))).toBe('state');
  });

  it('answers a forwarded IHello (FIHello) towards its reply address', () => {
    const peer = createIdentity({ keys: 'static', groups: [2], random: seededRandom('peer-b') });
    const responder = new RtmfpResponder({ identity: peer, random: seededRandom('b'), now: () => 0 });
    const initiator = new RtmfpInitiator({ epd: peerEpd(peer.decoded.fingerprint), sessionId: 5, identity: client, random: seededRandom('a') });
    const replyAddress = { host: '198.51.100.7', port: 40000, origin: 'observed' as const };
    const answer = responder.handleFIHello({ kind: 'fihello', epd: initiator.epd, replyAddress, tag: initiator.tag });
    expect(answer?.to).toEqual(replyAddress);
    const iikeying = initiator.handleRHello(answer!.rhello);
    expect(responder.handleIIKeying(iikeying, replyAddress, () => 6).kind).toBe('accepted');
    expect(responder.handleFIHello({ kind: 'fihello', epd: serverEpd('rtmfp://x/'), replyAddress, tag: initiator.tag })).toBeUndefined();
  });

  it('lets the application refuse a URI', () => {
    const picky = new RtmfpResponder({ identity: server, now: () => 0, acceptAncillaryData: (uri) => uri.toString().endsWith('/live') });
    expect(picky.handleIHello({ kind: 'ihello', epd: serverEpd('rtmfp://h/live'), tag: Buffer.alloc(16) }, CLIENT)).toBeDefined();
    expect(picky.handleIHello({ kind: 'ihello', epd: serverEpd('rtmfp://h/vod'), tag: Buffer.alloc(16) }, CLIENT)).toBeUndefined();
  });

  it('a failed IIKeying leaves no trace', () => {
    const { initiator, rhello, responder } = fresh('trace');
    const iikeying = initiator.handleRHello(rhello);
    expect(problemOf(() => responder.handleIIKeying({ ...iikeying, skic: groupSelectOption(14) }, CLIENT, () => 1))).toBe('group');
    expect(responder.rememberedKeyings).toBe(0);
    expect(responder.handleIIKeying(iikeying, CLIENT, () => 1).kind).toBe('accepted');
  });
});
