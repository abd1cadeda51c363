import type { PeerAddress } from '../codec/address.js';
import type { Chunk } from '../codec/chunks/chunk.js';
import type { CookieChangeChunk, FIHelloChunk, IHelloChunk, RHelloChunk } from '../codec/chunks/hello-chunks.js';
import type { IIKeyingChunk, RIKeyingChunk } from '../codec/chunks/keying-chunks.js';
import { decodeCertificate, type FlashCertificate } from '../crypto/certificate.js';
import { dhGroup, type DhGroup } from '../crypto/dh-group.js';
import { generateDhKeyPair, type DhKeyPair } from '../crypto/dh.js';
import { decodeEpd, epdSelectsCertificate } from '../crypto/epd.js';
import { decodeKeyingComponent, type KeyingComponent } from '../crypto/keying-component.js';
import { negotiateProtection, type ProtectionPolicy } from '../crypto/negotiation.js';
import { secureRandom, type RandomSource } from '../crypto/random.js';
import { deriveSessionKeys } from '../crypto/session-keys.js';
import { RtmfpHandshakeError } from '../errors.js';
import { CookieJar } from './cookie.js';
import { serverIdentity, type RtmfpIdentity } from './identity.js';
import { checkLength, type HandshakeLimits } from './limits.js';
import { CookieReplayGuard } from './replay-guard.js';
import type { HandshakeResult } from './result.js';
import { FLASH_SIGNATURE, responderComponent } from './keying-layout.js';

/** Responder limits: the handshake limits plus the replay memory. */
export interface ResponderLimits extends HandshakeLimits {
  /** Accepted handshakes remembered for a cookie lifetime, default 10 000. */
  readonly maxRecentKeyings?: number;
}

/** How to answer handshakes. */
export interface ResponderOptions {
  /** Default: `serverIdentity()` (ephemeral keys in groups 14 and 2, accepting URIs). */
  readonly identity?: RtmfpIdentity;
  /** The cookie master secret (at least 16 bytes); default 32 random bytes. Share it to let several responders take each other's cookies. */
  readonly cookieSecret?: Uint8Array;
  /** Milliseconds clock; default `Date.now`. */
  readonly now?: () => number;
  readonly random?: RandomSource;
  /** Cookie lifetime, default 95 s; cookie time slot, default 10 s. */
  readonly cookieLifetimeMs?: number;
  readonly cookieSlotMs?: number;
  /** Decides on an EPD's ancillary data (Flash: the connection URI). Default: accept any. */
  readonly acceptAncillaryData?: (data: Buffer) => boolean;
  /** Makes the ephemeral key pair for one handshake; default a fresh random one. */
  readonly ephemeralKeyPair?: (group: DhGroup) => DhKeyPair;
  readonly limits?: ResponderLimits;
  /** Per-packet HMAC and session sequence numbers: `on-request` (default, like Flash-era servers) or `required`. */
  readonly protection?: ProtectionPolicy;
}

/** What to do with an IIKeying. */
export type IIKeyingOutcome =
  /** A new session: send `rikeying` to `result.farSessionId` (startup mode, default key). */
  | { readonly kind: 'accepted'; readonly rikeying: RIKeyingChunk; readonly result: HandshakeResult }
  /** The same IIKeying again: send the same RIKeying again; the session already exists. */
  | { readonly kind: 'retransmit'; readonly rikeying: RIKeyingChunk; readonly result: HandshakeResult }
  /** A good cookie from another address: send `chunk` to `initiatorSessionId` (startup mode, default key). */
  | { readonly kind: 'cookie-change'; readonly initiatorSessionId: number; readonly chunk: CookieChangeChunk };

/** What `receive()` made of a chunk. */
export type ResponderStep =
  /** Send this RHello back to where the IHello came from (startup mode, session id 0). */
  | { readonly kind: 'rhello'; readonly chunk: RHelloChunk }
  /** The IHello asks for another endpoint: ignore it, or redirect or introduce (P2P rendezvous). */
  | { readonly kind: 'not-for-us'; readonly ihello: IHelloChunk }
  | IIKeyingOutcome;

interface Answer {
  readonly rikeying: RIKeyingChunk;
  readonly result: HandshakeResult;
}

/**
 * The responder's side of the handshake as a pure state machine (time and randomness injected).
 * `handleIHello` is stateless: the RHello's cookie carries everything, so a flood of IHellos
 * costs one HMAC each and no memory. State appears only in `handleIIKeying`, after the cookie
 * checks out. Failed checks throw `RtmfpHandshakeError` or `LimitExceededError`; the caller
 * drops the packet. Which session ids exist, retransmission and close are the session layer's.
 */
export class RtmfpResponder {
  readonly identity: RtmfpIdentity;
  private readonly cookies: CookieJar;
  private readonly guard: CookieReplayGuard<Answer>;
  private readonly now: () => number;
  private readonly random: RandomSource;
  private readonly limits: ResponderLimits;
  private readonly acceptAncillaryData: (data: Buffer) => boolean;
  private readonly ephemeralKeyPair: (group: DhGroup) => DhKeyPair;
  private readonly policy: ProtectionPolicy;

  constructor(options: ResponderOptions = {}) {
    this.random = options.random ?? secureRandom;
    this.identity = options.identity ?? serverIdentity({ random: this.random });
    this.now = options.now ?? Date.now;
    const lifetimeMs = options.cookieLifetimeMs ?? 95_000;
    this.cookies = new CookieJar(options.cookieSecret ?? this.random(32), { lifetimeMs, slotMs: options.cookieSlotMs });
    this.limits = options.limits ?? {};
    this.guard = new CookieReplayGuard(this.limits.maxRecentKeyings ?? 10_000, lifetimeMs);
    this.acceptAncillaryData = options.acceptAncillaryData ?? (() => true);
    this.ephemeralKeyPair = options.ephemeralKeyPair ?? ((group) => generateDhKeyPair(group, this.random));
    this.policy = options.protection ?? 'on-request';
  }

  /** Our certificate, as sent in every RHello. */
  get certificate(): Buffer {
    return this.identity.certificate;
  }

  /** Our peer id: SHA-256 of our certificate's canonical part. */
  get fingerprint(): Buffer {
    return this.identity.decoded.fingerprint;
  }

  /** Handshakes remembered for retransmission and replay checks. */
  get rememberedKeyings(): number {
    return this.guard.size;
  }

  /**
   * Dispatches a startup chunk that arrived on session id 0 from `from`: an IHello or an
   * IIKeying. Other kinds are a `state` error. `allocateSessionId` as for `handleIIKeying`.
   */
  receive(chunk: Chunk, from: PeerAddress, allocateSessionId: () => number): ResponderStep {
    switch (chunk.kind) {
      case 'ihello': {
        const rhello = this.handleIHello(chunk, from);
        return rhello ? { kind: 'rhello', chunk: rhello } : { kind: 'not-for-us', ihello: chunk };
      }
      case 'iikeying': return this.handleIIKeying(chunk, from, allocateSessionId);
      default: throw new RtmfpHandshakeError('state', `a responder does not expect a ${chunk.kind} chunk on the startup session`);
    }
  }

  /**
   * Answers an IHello (or an FIHello, passing its reply address as `from`) with an RHello, or
   * returns undefined when the EPD asks for another endpoint (the caller may redirect or
   * introduce). Keeps nothing.
   */
  handleIHello(ihello: IHelloChunk, from: PeerAddress): RHelloChunk | undefined {
    checkLength(this.limits, 'maxEpdLength', ihello.epd, 'EPD');
    checkLength(this.limits, 'maxTagLength', ihello.tag, 'tag');
    const epd = decodeEpd(ihello.epd);
    if (!epdSelectsCertificate(epd, this.identity.decoded)) return undefined;
    if (!epd.fingerprint && epd.ancillaryData && !this.acceptAncillaryData(epd.ancillaryData)) return undefined;
    return { kind: 'rhello', tagEcho: Buffer.from(ihello.tag), cookie: this.cookies.issue(from, this.now()), certificate: this.identity.certificate };
  }

  /**
   * Answers an FIHello that an introducer (a server) forwarded inside an open session: the
   * RHello goes straight to the initiator's reply address, from session id 0 (RFC 7016
   * §3.5.1.5), which also opens our NAT towards it. Undefined when the EPD is not ours.
   */
  handleFIHello(fihello: FIHelloChunk): { readonly rhello: RHelloChunk; readonly to: PeerAddress } | undefined {
    const rhello = this.handleIHello({ kind: 'ihello', epd: fihello.epd, tag: fihello.tag }, fihello.replyAddress);
    return rhello && { rhello, to: fihello.replyAddress };
  }

  /**
   * Checks the cookie, then the initiator's certificate and SKIC, makes our SKRC and derives
   * the keys. `allocateSessionId` is called only for a new session and returns our session id.
   */
  handleIIKeying(iikeying: IIKeyingChunk, from: PeerAddress, allocateSessionId: () => number): IIKeyingOutcome {
    checkLength(this.limits, 'maxCookieLength', iikeying.cookie, 'cookie');
    checkLength(this.limits, 'maxCertificateLength', iikeying.certificate, 'initiator certificate');
    checkLength(this.limits, 'maxKeyingComponentLength', iikeying.skic, 'SKIC');
    if (iikeying.initiatorSessionId === 0) throw new RtmfpHandshakeError('keying', 'IIKeying with initiator session id 0');
    const now = this.now();
    const check = this.cookies.check(iikeying.cookie, from, now);
    if (check === 'bad') throw new RtmfpHandshakeError('cookie', 'IIKeying with a cookie we did not issue, or one that expired');
    if (check === 'mismatch') {
      return {
        kind: 'cookie-change',
        initiatorSessionId: iikeying.initiatorSessionId,
        chunk: { kind: 'cookie-change', oldCookie: Buffer.from(iikeying.cookie), newCookie: this.cookies.issue(from, now) },
      };
    }
    const seen = this.guard.lookup(iikeying.cookie, now);
    if (seen) {
      if (seen.initiatorSessionId === iikeying.initiatorSessionId && seen.skic.equals(iikeying.skic)) {
        return { kind: 'retransmit', ...seen.answer };
      }
      throw new RtmfpHandshakeError('replay', 'IIKeying with a cookie already used by another IIKeying');
    }
    this.guard.assertRoom(now);
    const initiator = decodeCertificate(Buffer.from(iikeying.certificate));
    const skic = decodeKeyingComponent(Buffer.from(iikeying.skic));
    const protection = negotiateProtection(this.policy, skic, 'responder');
    const { group, initiatorKey } = this.chooseGroup(initiator, skic);
    const ephemeral = this.identity.staticKeys.has(group.id) ? undefined : this.ephemeralKeyPair(group);
    const secret = (ephemeral ?? this.identity.staticKeys.get(group.id)!).computeSecret(initiatorKey);
    const skrc = responderComponent(group.id, ephemeral, this.random, protection);
    const sessionId = allocateSessionId();
    const answer: Answer = {
      rikeying: { kind: 'rikeying', responderSessionId: sessionId, skrc, signature: FLASH_SIGNATURE },
      result: {
        role: 'responder',
        nearSessionId: sessionId,
        farSessionId: iikeying.initiatorSessionId,
        group: group.id,
        keys: deriveSessionKeys(secret, skrc, skic.raw),
        peerCertificate: initiator,
        nearComponent: skrc,
        farComponent: skic.raw,
        protection,
      },
    };
    this.guard.remember(iikeying.cookie, { initiatorSessionId: iikeying.initiatorSessionId, skic: skic.raw, answer }, now);
    return { kind: 'accepted', ...answer };
  }

  /**
   * The group and the initiator's public key: with a static certificate, the SKIC selects one
   * of its keys; otherwise the SKIC carries an ephemeral key (the first in a group we do).
   */
  private chooseGroup(initiator: FlashCertificate, skic: KeyingComponent): { group: DhGroup; initiatorKey: Buffer } {
    let groupId: number | undefined;
    let initiatorKey: Buffer | undefined;
    if (initiator.isStatic) {
      groupId = skic.groupSelect;
      if (groupId === undefined) throw new RtmfpHandshakeError('keying', 'a static-key initiator sent no group select');
      initiatorKey = initiator.staticKeys.get(groupId);
      if (!initiatorKey) throw new RtmfpHandshakeError('group', `the initiator selected group ${groupId} but its certificate has no key for it`);
    } else {
      groupId = [...skic.ephemeralKeys.keys()].find((id) => this.identity.groups.includes(id));
      if (groupId === undefined) throw new RtmfpHandshakeError('group', 'the SKIC has no ephemeral key in a group we do');
      initiatorKey = skic.ephemeralKeys.get(groupId)!;
    }
    const group = this.identity.groups.includes(groupId) ? dhGroup(groupId) : undefined;
    if (!group) throw new RtmfpHandshakeError('group', `DH group ${groupId} is not one we do (${this.identity.groups.join(', ')})`);
    return { group, initiatorKey };
  }
}
