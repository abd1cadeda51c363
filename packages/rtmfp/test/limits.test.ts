import { LimitExceededError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HANDSHAKE_LIMITS,
  PacketCipher,
  RtmfpInitiator,
  RtmfpResponder,
  encodeCertificate,
  encodePing,
  openPacket,
  sealPacket,
  serverEpd,
  serverIdentity,
  type HandshakeLimits,
  type IIKeyingChunk,
  type RHelloChunk,
} from '../src/index.js';
import { CLIENT } from './helpers/handshake.js';
import { seededRandom } from './helpers/random.js';

const server = serverIdentity({ random: seededRandom('server') });

/** Runs `run`; returns the name of the limit it passed, or undefined if it did not throw one. */
function limitOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LimitExceededError) return error.limit;
    throw error;
  }
  return undefined;
}

function parties(limits: HandshakeLimits & { maxRecentKeyings?: number } = {}, clock = { now: 0 }) {
  const responder = new RtmfpResponder({ identity: server, random: seededRandom('r'), now: () => clock.now, limits });
  const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://h/'), sessionId: 9, random: seededRandom('i'), limits });
  const rhello = responder.handleIHello(initiator.ihello(), CLIENT)!;
  return { responder, initiator, rhello, clock };
}

describe('limits: each has a default, can be set, and names itself when passed', () => {
  it('the defaults', () => {
    expect(DEFAULT_HANDSHAKE_LIMITS).toEqual({ maxTagLength: 64, maxCookieLength: 256, maxCertificateLength: 4096, maxKeyingComponentLength: 4096, maxEpdLength: 1024 });
  });

  it('maxDatagramSize (default 8192)', () => {
    const cipher = new PacketCipher(Buffer.alloc(16));
    // plaintext = checksum 2 + flags 1 + chunk header 3 + payload; the datagram adds the 4-byte session id
    const datagram = (plaintext: number) => sealPacket({ sessionId: 1, mode: 'initiator', chunks: [encodePing(Buffer.alloc(plaintext - 6))] }, cipher);
    expect(datagram(8192)).toHaveLength(8196);
    expect(datagram(8176)).toHaveLength(8180);
    expect(limitOf(() => openPacket(datagram(8192), cipher))).toBe('maxDatagramSize');
    expect(limitOf(() => openPacket(datagram(8176), cipher))).toBeUndefined();
    expect(limitOf(() => openPacket(datagram(8176), cipher, { maxDatagramSize: 4000 }))).toBe('maxDatagramSize');
  });

  it('maxTagLength', () => {
    const { responder } = parties();
    const ihello = (tag: number) => ({ kind: 'ihello' as const, epd: serverEpd('rtmfp://h/'), tag: Buffer.alloc(tag) });
    expect(limitOf(() => responder.handleIHello(ihello(64), CLIENT))).toBeUndefined();
    expect(limitOf(() => responder.handleIHello(ihello(65), CLIENT))).toBe('maxTagLength');
    expect(limitOf(() => parties({ maxTagLength: 8 }).responder.handleIHello(ihello(16), CLIENT))).toBe('maxTagLength');
  });

  it('maxEpdLength', () => {
    const { responder } = parties();
    const ihello = (uri: number) => ({ kind: 'ihello' as const, epd: serverEpd(`rtmfp://h/${'a'.repeat(uri)}`), tag: Buffer.alloc(16) });
    expect(limitOf(() => responder.handleIHello(ihello(1000), CLIENT))).toBeUndefined();
    expect(limitOf(() => responder.handleIHello(ihello(1100), CLIENT))).toBe('maxEpdLength');
  });

  it('maxCookieLength, on both sides', () => {
    const { initiator, rhello, responder } = parties();
    const long: RHelloChunk = { ...rhello, cookie: Buffer.alloc(257) };
    expect(limitOf(() => initiator.handleRHello(long))).toBe('maxCookieLength');
    const iikeying = initiator.handleRHello(rhello);
    expect(limitOf(() => responder.handleIIKeying({ ...iikeying, cookie: Buffer.alloc(257) }, CLIENT, () => 1))).toBe('maxCookieLength');
    expect(limitOf(() => initiator.handleCookieChange({ kind: 'cookie-change', oldCookie: rhello.cookie, newCookie: Buffer.alloc(257) }))).toBe('maxCookieLength');
  });

  it('maxCertificateLength, on both sides', () => {
    const { initiator, rhello, responder } = parties({ maxCertificateLength: 300 });
    const big = encodeCertificate({ acceptsAncillaryData: true, extraRandomness: Buffer.alloc(400), ephemeralGroups: [2] });
    expect(limitOf(() => initiator.handleRHello({ ...rhello, certificate: big }))).toBe('maxCertificateLength');
    const iikeying = initiator.handleRHello(rhello);
    expect(limitOf(() => responder.handleIIKeying({ ...iikeying, certificate: Buffer.alloc(301) }, CLIENT, () => 1))).toBe('maxCertificateLength');
  });

  it('maxKeyingComponentLength, on both sides', () => {
    const { initiator, rhello, responder } = parties();
    const iikeying: IIKeyingChunk = initiator.handleRHello(rhello);
    expect(limitOf(() => responder.handleIIKeying({ ...iikeying, skic: Buffer.alloc(4097) }, CLIENT, () => 1))).toBe('maxKeyingComponentLength');
    expect(limitOf(() => initiator.handleRIKeying({ kind: 'rikeying', responderSessionId: 1, skrc: Buffer.alloc(4097), signature: Buffer.alloc(1) }))).toBe('maxKeyingComponentLength');
  });

  it('maxRecentKeyings: accepted handshakes remembered within a cookie lifetime', () => {
    const clock = { now: 0 };
    const responder = new RtmfpResponder({ identity: server, random: seededRandom('r'), now: () => clock.now, limits: { maxRecentKeyings: 2 } });
    const accept = (n: number) => {
      const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://h/'), sessionId: n, random: seededRandom(`i${n}`) });
      const iikeying = initiator.handleRHello(responder.handleIHello(initiator.ihello(), { host: '127.0.0.1', port: n })!);
      return () => responder.handleIIKeying(iikeying, { host: '127.0.0.1', port: n }, () => n);
    };
    expect(limitOf(accept(1))).toBeUndefined();
    expect(limitOf(accept(2))).toBeUndefined();
    expect(limitOf(accept(3))).toBe('maxRecentKeyings');
    clock.now += 95_001; // the first two expire
    expect(limitOf(accept(4))).toBeUndefined();
    expect(responder.rememberedKeyings).toBe(1);
  });
});
