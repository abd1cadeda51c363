import { RtmpError } from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import { encodeChunk, type Chunk } from '../codec/chunks/chunk.js';
import type { IHelloChunk } from '../codec/chunks/hello-chunks.js';
import { ipToBytes } from '../codec/ip.js';
import { decodeEpd, peerEpd } from '../crypto/epd.js';
import type { EndpointSession } from '../transport/endpoint-session.js';
import { RateLimiter, type RateLimit } from '../transport/rate-limiter.js';

/** How a server introduces peers (RFC 7016 §3.5.1.6, RFC 7425 §5.3). */
export interface RendezvousOptions {
  /** Introductions (Redirect + FIHello) per source address. Default 5/s, bursts of 10. */
  readonly redirectRate?: RateLimit;
  /** FIHellos forwarded to one peer, whoever asks. Default 20/s, bursts of 40. */
  readonly forwardRate?: RateLimit;
  /**
   * Introduce only initiators that hold a session with this server (their IHello comes from the
   * address of that session, as Flash Player's does: one socket for both). Default true: an
   * outsider who learnt a peer id cannot learn the peer's addresses.
   */
  readonly clientsOnly?: boolean;
  /** Addresses of one endpoint in a Redirect or in FIHellos (observed first). Default 8. */
  readonly maxAddresses?: number;
  /** Peers registered at once; more `setPeerInfo`s are ignored. Default 100 000. */
  readonly maxPeers?: number;
  /** A last word on each introduction (e.g. only between clients of one app). Default: allowed. */
  allow?(introduction: { readonly from: PeerAddress; readonly initiator: RegisteredPeer | undefined; readonly target: RegisteredPeer }): boolean;
}

/** A client the rendezvous can introduce others to. */
export interface RegisteredPeer {
  /** SHA-256 of its certificate, hex. */
  readonly peerId: string;
  readonly session: EndpointSession;
  /** What it reported with `setPeerInfo`. */
  readonly reported: readonly PeerAddress[];
}

/** What the rendezvous counted. */
export interface RendezvousCounters {
  /** Peers registered now. */
  peers: number;
  /** IHellos answered with a Redirect and forwarded as FIHellos. */
  introductions: number;
  /** FIHellos sent (one per reply address). */
  forwardedHellos: number;
  /** Dropped: the peer id is not registered (never, or its session ended). Nothing is answered. */
  droppedUnknown: number;
  /** Dropped: over the source's or the target's rate. */
  droppedRateLimited: number;
  /** Dropped: the IHello did not come from one of our clients (`clientsOnly`), or `allow` said no. */
  droppedNotAllowed: number;
  /** Dropped: not a peer-id EPD, or the initiator asked for itself. */
  droppedMalformed: number;
  /** `setPeerInfo` from a session whose certificate does not bind its peer id to a key (ephemeral): not registered. */
  refusedUnbound: number;
}

/** What the rendezvous needs of the endpoint: sending a startup chunk. */
export interface RendezvousHost {
  sendStartup(chunk: Chunk, to: PeerAddress, sessionId: number): void;
  now(): number;
}

function key(address: PeerAddress): string {
  return `${address.host}|${address.port}`;
}

function same(a: PeerAddress, b: PeerAddress): boolean {
  return a.host === b.host && a.port === b.port;
}

function isV6(host: string): boolean {
  return host.includes(':');
}

/** An address a Redirect or an FIHello can carry: a real IP (no zone) and a port that is not 0. */
function usable(address: PeerAddress): boolean {
  if (address.host.includes('%') || !Number.isInteger(address.port) || address.port < 1 || address.port > 0xffff) return false;
  try {
    ipToBytes(address.host);
    return true;
  } catch {
    return false;
  }
}

/**
 * The server side of peer-to-peer introductions. Clients register with `setPeerInfo` (their
 * peer id is the fingerprint of the certificate their session was keyed with, so a client can
 * hold no id but its own); an IHello whose EPD names a registered peer id is answered with a
 * Redirect listing the peer's addresses (observed first, then reported), and forwarded to the
 * peer inside its session as FIHellos carrying the initiator's addresses, so both ends send at
 * once and open their NATs to each other. An IHello for an unknown or departed id is dropped
 * without a word (a Redirect would tell the asker something), and so are IHellos over a
 * source's or a target's rate. Peers are forgotten when their session ends.
 */
export class Rendezvous {
  readonly counters: RendezvousCounters = {
    peers: 0, introductions: 0, forwardedHellos: 0, droppedUnknown: 0, droppedRateLimited: 0, droppedNotAllowed: 0, droppedMalformed: 0, refusedUnbound: 0,
  };
  private readonly peers = new Map<string, RegisteredPeer>();
  private readonly bySession = new Map<EndpointSession, RegisteredPeer>();
  private readonly clients = new Map<string, EndpointSession>();
  private readonly clientKeys = new Map<EndpointSession, string>();
  private readonly sources: RateLimiter;
  private readonly targets: RateLimiter;
  private readonly maxAddresses: number;
  private readonly maxPeers: number;

  constructor(
    private readonly host: RendezvousHost,
    private readonly options: RendezvousOptions = {},
  ) {
    this.sources = new RateLimiter(options.redirectRate ?? { perSecond: 5, burst: 10 });
    this.targets = new RateLimiter(options.forwardRate ?? { perSecond: 20, burst: 40 });
    this.maxAddresses = options.maxAddresses ?? 8;
    this.maxPeers = options.maxPeers ?? 100_000;
  }

  /** A session finished `connect`: its address may ask for introductions. */
  addClient(session: EndpointSession): void {
    const old = this.clientKeys.get(session);
    if (old !== undefined && this.clients.get(old) === session) this.clients.delete(old);
    this.clients.set(key(session.remote), session);
    this.clientKeys.set(session, key(session.remote));
  }

  /**
   * A client sent `setPeerInfo` (so its session is keyed and working): it can be introduced.
   * Refused for a certificate without a static key: its fingerprint would not prove anything.
   */
  register(session: EndpointSession, reported: readonly PeerAddress[]): boolean {
    const certificate = session.result.peerCertificate;
    if (!certificate.isStatic) {
      this.counters.refusedUnbound++;
      return false;
    }
    const peerId = certificate.fingerprint.toString('hex');
    const existing = this.peers.get(peerId);
    if (!existing && this.peers.size >= this.maxPeers) return false;
    // The newest session with a certificate wins (RFC 7425 §4.3.7): the peer reconnected.
    if (existing && existing.session !== session) this.bySession.delete(existing.session);
    // What a client reports is its word only: what cannot be encoded is left out here.
    const peer: RegisteredPeer = { peerId, session, reported: reported.filter(usable).slice(0, this.maxAddresses) };
    this.peers.set(peerId, peer);
    this.bySession.set(session, peer);
    this.addClient(session);
    this.counters.peers = this.peers.size;
    return true;
  }

  /** A session ended: forget it as a client and as a peer. */
  forget(session: EndpointSession): void {
    const peer = this.bySession.get(session);
    if (peer) {
      this.bySession.delete(session);
      if (this.peers.get(peer.peerId) === peer) this.peers.delete(peer.peerId);
      this.counters.peers = this.peers.size;
    }
    const address = this.clientKeys.get(session);
    this.clientKeys.delete(session);
    if (address !== undefined && this.clients.get(address) === session) this.clients.delete(address);
  }

  /** The registered peer with this id (hex), if its session is still open. */
  lookup(peerId: string): RegisteredPeer | undefined {
    const peer = this.peers.get(peerId);
    if (peer && peer.session.machine.state !== 'open') {
      this.forget(peer.session);
      return undefined;
    }
    return peer;
  }

  /** The registered peers now. */
  list(): RegisteredPeer[] {
    return [...this.peers.values()].filter((peer) => peer.session.machine.state === 'open');
  }

  /** An IHello for an endpoint other than the server: introduce, or drop. */
  hello(ihello: IHelloChunk, from: PeerAddress): void {
    let fingerprint: Buffer | undefined;
    try {
      fingerprint = decodeEpd(ihello.epd).fingerprint;
    } catch (error) {
      if (!RtmpError.isInstance(error)) throw error;
    }
    if (!fingerprint || fingerprint.length !== 32) {
      this.counters.droppedMalformed++;
      return;
    }
    const initiatorSession = this.client(from);
    if ((this.options.clientsOnly ?? true) && !initiatorSession) {
      this.counters.droppedNotAllowed++;
      return;
    }
    const target = this.lookup(fingerprint.toString('hex'));
    if (!target) {
      this.counters.droppedUnknown++;
      return;
    }
    if (target.session === initiatorSession || same(target.session.remote, from)) {
      this.counters.droppedMalformed++;
      return;
    }
    const initiator = initiatorSession && this.bySession.get(initiatorSession);
    if (this.options.allow && !this.options.allow({ from, initiator, target })) {
      this.counters.droppedNotAllowed++;
      return;
    }
    const now = this.host.now();
    if (!this.sources.take(from.host, now) || !this.targets.take(target.peerId, now)) {
      this.counters.droppedRateLimited++;
      return;
    }
    this.introduce(ihello, from, target, initiator);
  }

  private introduce(ihello: IHelloChunk, from: PeerAddress, target: RegisteredPeer, initiator: RegisteredPeer | undefined): void {
    const v6 = isV6(from.host);
    const reachable = (address: PeerAddress) => isV6(address.host) === v6;
    const targetAddresses = this.addresses({ ...target.session.remote, origin: 'observed' }, target.reported).filter(reachable);
    this.host.sendStartup({ kind: 'redirect', tagEcho: ihello.tag, addresses: targetAddresses }, from, 0);
    const replies = this.addresses({ ...from, origin: 'observed' }, initiator?.reported ?? []).filter((address) => isV6(address.host) === isV6(target.session.remote.host));
    // The EPD goes in its canonical form (`21 0f <peer id>`): whatever else the initiator put in it stays here.
    const epd = peerEpd(Buffer.from(target.peerId, 'hex'));
    const fihellos = replies.map((replyAddress) => encodeChunk({ kind: 'fihello', epd, replyAddress, tag: ihello.tag }));
    for (let at = 0; at < fihellos.length; at += 8) target.session.sendChunks(fihellos.slice(at, at + 8)); // 8 fit in a packet
    this.counters.forwardedHellos += replies.length;
    this.counters.introductions++;
  }

  /** The observed address first, then the reported ones that differ, at most `maxAddresses`. */
  private addresses(observed: PeerAddress, reported: readonly PeerAddress[]): PeerAddress[] {
    const list = [observed];
    for (const address of reported) {
      if (list.length >= this.maxAddresses) break;
      if (!list.some((known) => same(known, address))) list.push({ host: address.host, port: address.port, origin: 'reported' });
    }
    return list;
  }

  /** The client session whose packets come from `address` (it may have moved since: checked). */
  private client(address: PeerAddress): EndpointSession | undefined {
    const session = this.clients.get(key(address));
    if (!session) return undefined;
    if (session.machine.state !== 'open') {
      this.forget(session);
      return undefined;
    }
    if (!same(session.remote, address)) {
      this.addClient(session); // it moved (NAT rebinding): file it under its new address
      return undefined;
    }
    return session;
  }
}
