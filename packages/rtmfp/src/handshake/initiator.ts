import type { PeerAddress } from '../codec/address.js';
import type { Chunk } from '../codec/chunks/chunk.js';
import type { CookieChangeChunk, IHelloChunk, RedirectChunk, RHelloChunk } from '../codec/chunks/hello-chunks.js';
import type { IIKeyingChunk, RIKeyingChunk } from '../codec/chunks/keying-chunks.js';
import { certificateGroups, decodeCertificate, type FlashCertificate } from '../crypto/certificate.js';
import { dhGroup } from '../crypto/dh-group.js';
import { generateDhKeyPair, type DhKeyPair } from '../crypto/dh.js';
import { decodeEpd, epdSelectsCertificate } from '../crypto/epd.js';
import { decodeKeyingComponent } from '../crypto/keying-component.js';
import { negotiateProtection, type ProtectionPolicy } from '../crypto/negotiation.js';
import { secureRandom, type RandomSource } from '../crypto/random.js';
import { deriveSessionKeys } from '../crypto/session-keys.js';
import { RtmfpHandshakeError } from '../errors.js';
import { flashClientIdentity, type RtmfpIdentity } from './identity.js';
import { checkLength, type HandshakeLimits } from './limits.js';
import type { HandshakeResult } from './result.js';
import { FLASH_SIGNATURE, initiatorComponent } from './keying-layout.js';

/** How to open a session. */
export interface InitiatorOptions {
  /** Which far end we want: `serverEpd(url)` for a server, `peerEpd(peerId)` for a peer. */
  readonly epd: Uint8Array;
  /** Our session id (1 .. 2^32−1): the far end addresses its packets to it. */
  readonly sessionId: number;
  /** Default: a fresh `flashClientIdentity()` (one static group 2 key, like Flash Player). */
  readonly identity?: RtmfpIdentity;
  readonly random?: RandomSource;
  readonly limits?: HandshakeLimits;
  /** Per-packet HMAC and session sequence numbers: `on-request` (default, like Flash Player) or `required`. */
  readonly protection?: ProtectionPolicy;
}

/** Where an initiator is: waiting for an RHello, for an RIKeying, or done. */
export type InitiatorState = 'hello' | 'keying' | 'open';

/** What `receive()` made of a chunk. */
export type InitiatorStep =
  | { readonly kind: 'send'; readonly chunk: IIKeyingChunk }
  | { readonly kind: 'redirect'; readonly addresses: PeerAddress[] }
  | { readonly kind: 'open'; readonly result: HandshakeResult };

interface Keying {
  readonly cookie: Buffer;
  readonly responder: FlashCertificate;
  readonly group: number;
  readonly skic: Buffer;
  readonly ephemeral: DhKeyPair | undefined;
  /** Known at RHello time when the responder's certificate holds a static key. */
  readonly secret: Buffer | undefined;
}

/**
 * The initiator's side of the four-way handshake (RFC 7016 §3.5.1) as a pure state machine:
 * chunks in, chunks out, no sockets, no timers. The session layer sends `ihello()` to the far
 * end's addresses until an RHello comes back, then `iikeying()` until the RIKeying does, and
 * owns the retransmission timers. A chunk that fails a check throws an `RtmfpHandshakeError`
 * (or `LimitExceededError`) and leaves the state as it was, so a forged or stray packet
 * cannot break a handshake in progress.
 */
export class RtmfpInitiator {
  /** Our random IHello tag (16 bytes, like Flash). */
  readonly tag: Buffer;
  readonly epd: Buffer;
  readonly sessionId: number;
  readonly identity: RtmfpIdentity;
  private readonly random: RandomSource;
  private readonly limits: HandshakeLimits;
  private readonly policy: ProtectionPolicy;
  private keying: Keying | undefined;
  private done: HandshakeResult | undefined;

  constructor(options: InitiatorOptions) {
    if (!Number.isInteger(options.sessionId) || options.sessionId < 1 || options.sessionId > 0xffffffff) {
      throw new RangeError(`session id out of range: ${options.sessionId}`);
    }
    this.random = options.random ?? secureRandom;
    this.identity = options.identity ?? flashClientIdentity(this.random);
    this.epd = Buffer.from(options.epd);
    decodeEpd(this.epd); // our own EPD must be well formed
    this.sessionId = options.sessionId;
    this.limits = options.limits ?? {};
    this.policy = options.protection ?? 'on-request';
    this.tag = Buffer.from(this.random(16));
  }

  /** Where the handshake is. */
  get state(): InitiatorState {
    return this.done ? 'open' : this.keying ? 'keying' : 'hello';
  }

  /** The outcome, once open. */
  get result(): HandshakeResult | undefined {
    return this.done;
  }

  /** The IHello to send (and resend) while waiting for an RHello. */
  ihello(): IHelloChunk {
    return { kind: 'ihello', epd: this.epd, tag: this.tag };
  }

  /** The IIKeying to send (and resend) while waiting for the RIKeying; undefined before an RHello. */
  iikeying(): IIKeyingChunk | undefined {
    const keying = this.keying;
    if (!keying || this.done) return undefined;
    return {
      kind: 'iikeying',
      initiatorSessionId: this.sessionId,
      cookie: keying.cookie,
      certificate: this.identity.certificate,
      skic: keying.skic,
      signature: FLASH_SIGNATURE,
    };
  }

  /** Dispatches any chunk met during the handshake; other chunk kinds are a `state` error. */
  receive(chunk: Chunk): InitiatorStep {
    switch (chunk.kind) {
      case 'rhello': return { kind: 'send', chunk: this.handleRHello(chunk) };
      case 'cookie-change': return { kind: 'send', chunk: this.handleCookieChange(chunk) };
      case 'redirect': return { kind: 'redirect', addresses: this.handleRedirect(chunk) };
      case 'rikeying': return { kind: 'open', result: this.handleRIKeying(chunk) };
      default: throw new RtmfpHandshakeError('state', `an initiator does not expect a ${chunk.kind} chunk`);
    }
  }

  private expect(state: InitiatorState, what: string): void {
    if (this.state !== state) throw new RtmfpHandshakeError('state', `${what} in state ${this.state}`);
  }

  private checkTag(tagEcho: Buffer, what: string): void {
    if (!tagEcho.equals(this.tag)) throw new RtmfpHandshakeError('tag', `${what} answers another IHello`);
  }

  /** Takes the first good RHello: checks the responder's certificate and returns the IIKeying. */
  handleRHello(rhello: RHelloChunk): IIKeyingChunk {
    this.expect('hello', 'RHello');
    this.checkTag(rhello.tagEcho, 'RHello');
    checkLength(this.limits, 'maxCookieLength', rhello.cookie, 'cookie');
    checkLength(this.limits, 'maxCertificateLength', rhello.certificate, 'responder certificate');
    const responder = decodeCertificate(Buffer.from(rhello.certificate));
    if (!epdSelectsCertificate(decodeEpd(this.epd), responder)) {
      throw new RtmfpHandshakeError('epd', 'the responder is not the endpoint our EPD asks for');
    }
    const offered = certificateGroups(responder);
    const groupId = this.identity.groups.find((id) => offered.includes(id));
    const group = groupId === undefined ? undefined : dhGroup(groupId);
    if (!group) {
      throw new RtmfpHandshakeError('group', `no DH group in common: we have ${this.identity.groups.join(', ')}, the responder ${offered.join(', ')}`);
    }
    const ephemeral = this.identity.staticKeys.has(group.id) ? undefined : generateDhKeyPair(group, this.random);
    const ours = ephemeral ?? this.identity.staticKeys.get(group.id)!;
    const responderKey = responder.staticKeys.get(group.id);
    const secret = responderKey ? ours.computeSecret(responderKey) : undefined;
    this.keying = {
      cookie: Buffer.from(rhello.cookie),
      responder,
      group: group.id,
      skic: initiatorComponent(group.id, ephemeral, this.random, this.policy),
      ephemeral,
      secret,
    };
    return this.iikeying()!;
  }

  /** A Redirect while waiting for an RHello: the addresses to send the IHello to next. */
  handleRedirect(redirect: RedirectChunk): PeerAddress[] {
    this.expect('hello', 'Redirect');
    this.checkTag(redirect.tagEcho, 'Redirect');
    return redirect.addresses;
  }

  /** The responder saw our IIKeying from a new address: resend it with the new cookie. */
  handleCookieChange(change: CookieChangeChunk): IIKeyingChunk {
    this.expect('keying', 'cookie change');
    const keying = this.keying!;
    if (!change.oldCookie.equals(keying.cookie)) throw new RtmfpHandshakeError('cookie', 'cookie change for a cookie we did not send');
    checkLength(this.limits, 'maxCookieLength', change.newCookie, 'cookie');
    this.keying = { ...keying, cookie: Buffer.from(change.newCookie) };
    return this.iikeying()!;
  }

  /** The RIKeying: computes the shared secret and the session keys. */
  handleRIKeying(rikeying: RIKeyingChunk): HandshakeResult {
    this.expect('keying', 'RIKeying');
    const keying = this.keying!;
    checkLength(this.limits, 'maxKeyingComponentLength', rikeying.skrc, 'SKRC');
    if (rikeying.responderSessionId === 0) throw new RtmfpHandshakeError('keying', 'RIKeying with responder session id 0');
    const skrc = decodeKeyingComponent(Buffer.from(rikeying.skrc));
    const protection = negotiateProtection(this.policy, skrc, 'initiator');
    let secret = keying.secret;
    if (!secret) {
      const responderKey = skrc.ephemeralKeys.get(keying.group);
      if (!responderKey) throw new RtmfpHandshakeError('keying', `the SKRC has no group ${keying.group} public key`);
      secret = (keying.ephemeral ?? this.identity.staticKeys.get(keying.group)!).computeSecret(responderKey);
    }
    this.done = {
      role: 'initiator',
      nearSessionId: this.sessionId,
      farSessionId: rikeying.responderSessionId,
      group: keying.group,
      keys: deriveSessionKeys(secret, keying.skic, skrc.raw),
      peerCertificate: keying.responder,
      nearComponent: keying.skic,
      farComponent: skrc.raw,
      protection,
    };
    return this.done;
  }
}
