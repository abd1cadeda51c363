import { describe, expect, it } from 'vitest';
import {
  CookieJar,
  RtmfpInitiator,
  RtmfpResponder,
  flashClientIdentity,
  serverEpd,
  serverIdentity,
  type IIKeyingChunk,
  type RHelloChunk,
} from '../src/index.js';
import { CLIENT, expectWorkingSession, overTheWire } from './helpers/handshake.js';
import { seededRandom } from './helpers/random.js';

const MOVED = { host: '127.0.0.1', port: 50002 };
const SECRET = Buffer.alloc(32, 0x5e);
const server = serverIdentity({ random: seededRandom('server') });

function setup(clock = { now: 1_000_000 }, seed = 'a') {
  const responder = new RtmfpResponder({ identity: server, cookieSecret: SECRET, random: seededRandom(`r${seed}`), now: () => clock.now });
  const initiator = new RtmfpInitiator({
    epd: serverEpd('rtmfp://localhost/'),
    sessionId: 0x0a0b0c0d,
    identity: flashClientIdentity(seededRandom(`c${seed}`)),
    random: seededRandom(`i${seed}`),
  });
  const rhello = responder.handleIHello(initiator.ihello(), CLIENT)!;
  const iikeying = initiator.handleRHello(rhello);
  return { responder, initiator, rhello, iikeying, clock };
}

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { problem?: string }).problem ?? (error as Error).name;
  }
  return undefined;
}

describe('stateless cookies', () => {
  it('the responder keeps nothing per IHello', () => {
    const { responder } = setup();
    for (let port = 1; port <= 1000; port++) responder.handleIHello({ kind: 'ihello', epd: serverEpd('rtmfp://x/'), tag: Buffer.alloc(16, port) }, { host: '10.0.0.1', port });
    expect(responder.rememberedKeyings).toBe(0);
  });

  it('a cookie issued by one responder is taken by another that shares the secret', () => {
    const { iikeying } = setup();
    const other = new RtmfpResponder({ identity: server, cookieSecret: SECRET, random: seededRandom('other'), now: () => 1_000_000 });
    expect(other.handleIIKeying(iikeying, CLIENT, () => 9).kind).toBe('accepted');
  });

  it('is refused by a responder with another secret', () => {
    const { iikeying } = setup();
    const stranger = new RtmfpResponder({ identity: server, cookieSecret: Buffer.alloc(32, 1), now: () => 1_000_000 });
    expect(problemOf(() => stranger.handleIIKeying(iikeying, CLIENT, () => 9))).toBe('cookie');
  });

  it('binds the cookie to the address: the same client elsewhere gets a cookie change, then gets in', () => {
    const { responder, initiator, iikeying } = setup();
    const outcome = responder.handleIIKeying(iikeying, MOVED, () => 7);
    expect(outcome.kind).toBe('cookie-change');
    if (outcome.kind !== 'cookie-change') return;
    expect(outcome.initiatorSessionId).toBe(0x0a0b0c0d);
    expect(outcome.chunk.oldCookie).toEqual(iikeying.cookie);
    // It travels to the initiator's session id under the default key, like an RIKeying.
    const step = initiator.receive(overTheWire(outcome.chunk, initiator.sessionId));
    expect(step.kind).toBe('send');
    const again = (step as { chunk: IIKeyingChunk }).chunk;
    expect(again.cookie).toEqual(outcome.chunk.newCookie);
    expect(again.skic).toEqual(iikeying.skic); // only the cookie changes
    const accepted = responder.handleIIKeying(again, MOVED, () => 7);
    expect(accepted.kind).toBe('accepted');
    if (accepted.kind !== 'accepted') return;
    const opened = initiator.receive(accepted.rikeying);
    if (opened.kind !== 'open') throw new Error(`expected open, got ${opened.kind}`);
    expectWorkingSession(opened.result, accepted.result);
  });

  it('a cookie change for a cookie we did not send is refused and changes nothing', () => {
    const { initiator, iikeying } = setup();
    expect(problemOf(() => initiator.handleCookieChange({ kind: 'cookie-change', oldCookie: Buffer.alloc(5), newCookie: Buffer.alloc(5, 1) }))).toBe('cookie');
    expect(initiator.iikeying()).toEqual(iikeying);
  });

  it('refuses forged cookies: random bytes, a changed MAC, a cut cookie, junk', () => {
    const { responder, iikeying } = setup();
    const forged = (cookie: Buffer) => problemOf(() => responder.handleIIKeying({ ...iikeying, cookie }, CLIENT, () => 7));
    expect(forged(seededRandom('forged')(iikeying.cookie.length))).toBe('cookie');
    const flipped = Buffer.from(iikeying.cookie);
    flipped[10]! ^= 1;
    expect(forged(flipped)).toBe('cookie');
    expect(forged(iikeying.cookie.subarray(0, iikeying.cookie.length - 1))).toBe('cookie');
    expect(forged(Buffer.alloc(0))).toBe('cookie');
    expect(forged(Buffer.alloc(12, 0xff))).toBe('cookie');
    expect(responder.rememberedKeyings).toBe(0);
  });

  it('refuses a cookie after its lifetime and one from the future', () => {
    const late = setup({ now: 1_000_000 }, 'late');
    late.clock.now += 96_000;
    expect(problemOf(() => late.responder.handleIIKeying(late.iikeying, CLIENT, () => 7))).toBe('cookie');

    const early = setup({ now: 1_000_000 }, 'early');
    early.clock.now = 500_000; // the clock went back: the cookie's slot is in the future
    expect(problemOf(() => early.responder.handleIIKeying(early.iikeying, CLIENT, () => 7))).toBe('cookie');

    const onTime = setup({ now: 1_000_000 }, 'ontime');
    onTime.clock.now += 90_000;
    expect(onTime.responder.handleIIKeying(onTime.iikeying, CLIENT, () => 7).kind).toBe('accepted');
  });

  it('answers a retransmitted IIKeying with the same RIKeying, without a new session', () => {
    const { responder, iikeying } = setup();
    let allocated = 0;
    const first = responder.handleIIKeying(iikeying, CLIENT, () => ++allocated);
    const second = responder.handleIIKeying(iikeying, CLIENT, () => ++allocated);
    expect(first.kind).toBe('accepted');
    expect(second.kind).toBe('retransmit');
    expect(allocated).toBe(1);
    expect((second as { rikeying: unknown }).rikeying).toEqual((first as { rikeying: unknown }).rikeying);
  });

  it('refuses a replayed cookie carried by a different IIKeying', () => {
    const { responder, iikeying } = setup();
    responder.handleIIKeying(iikeying, CLIENT, () => 1);
    const intruder = new RtmfpInitiator({ epd: serverEpd('rtmfp://localhost/'), sessionId: 0x0a0b0c0d, random: seededRandom('intruder') });
    const theirs = intruder.handleRHello({ ...(responder.handleIHello(intruder.ihello(), CLIENT) as RHelloChunk), cookie: iikeying.cookie });
    expect(problemOf(() => responder.handleIIKeying(theirs, CLIENT, () => 2))).toBe('replay');
    expect(problemOf(() => responder.handleIIKeying({ ...iikeying, initiatorSessionId: 5 }, CLIENT, () => 2))).toBe('replay');
  });

  it('forgets used cookies once they expire (they are refused as expired then)', () => {
    const { responder, iikeying, clock } = setup();
    responder.handleIIKeying(iikeying, CLIENT, () => 1);
    expect(responder.rememberedKeyings).toBe(1);
    clock.now += 96_000;
    expect(problemOf(() => responder.handleIIKeying(iikeying, CLIENT, () => 1))).toBe('cookie');
    const next = new RtmfpInitiator({ epd: serverEpd('rtmfp://localhost/'), sessionId: 3, random: seededRandom('next') });
    const nextKeying = next.handleRHello(responder.handleIHello(next.ihello(), CLIENT)!);
    expect(responder.handleIIKeying(nextKeying, CLIENT, () => 2).kind).toBe('accepted');
    expect(responder.rememberedKeyings).toBe(1); // the old entry was pruned
  });
});

describe('CookieJar', () => {
  const jar = new CookieJar(SECRET, { slotMs: 10_000, lifetimeMs: 95_000 });

  it('is time slot (VLU) + two 32-byte MACs', () => {
    const cookie = jar.issue(CLIENT, 1_234_567);
    expect(cookie[0]).toBe(123); // slot 1 234 567 / 10 000, one VLU byte
    expect(cookie.length).toBe(1 + 32 + 32);
    expect(jar.check(cookie, CLIENT, 1_234_567)).toBe('ok');
  });

  it('tells another address from a forgery', () => {
    const cookie = jar.issue(CLIENT, 0);
    expect(jar.check(cookie, MOVED, 0)).toBe('mismatch');
    expect(jar.check(cookie, { ...CLIENT, host: '127.0.0.2' }, 0)).toBe('mismatch');
    expect(jar.check(Buffer.concat([cookie.subarray(0, 1), Buffer.alloc(64)]), CLIENT, 0)).toBe('bad');
  });

  it('ignores the origin of the address', () => {
    expect(jar.check(jar.issue({ ...CLIENT, origin: 'observed' }, 0), CLIENT, 0)).toBe('ok');
  });

  it('refuses a short secret', () => {
    expect(() => new CookieJar(Buffer.alloc(15))).toThrow(RangeError);
  });
});
