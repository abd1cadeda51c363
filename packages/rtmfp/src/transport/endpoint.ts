import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { LimitExceededError, RtmpError, SessionClosedError } from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import { decodeChunk, encodeChunk, type Chunk } from '../codec/chunks/chunk.js';
import type { FIHelloChunk, IHelloChunk } from '../codec/chunks/hello-chunks.js';
import { openStartupPacket, sealStartupPacket } from '../codec/startup-packet.js';
import { MIN_DATAGRAM_SIZE, routeSessionId } from '../codec/session-id.js';
import { DEFAULT_MAX_DATAGRAM_SIZE, type PacketLimits } from '../codec/packet.js';
import { secureRandom, type RandomSource } from '../crypto/random.js';
import { flashClientIdentity, serverIdentity, type RtmfpIdentity } from '../handshake/identity.js';
import { RtmfpInitiator } from '../handshake/initiator.js';
import { RtmfpResponder } from '../handshake/responder.js';
import type { HandshakeResult } from '../handshake/result.js';
import type { AcceptOptions, EndpointCounters, EndpointOptions, OpenOptions } from './endpoint-options.js';
import { EndpointSession, type SessionHost } from './endpoint-session.js';
import { OpeningSession, type OpeningHost } from './opening-session.js';
import { RateLimiter } from './rate-limiter.js';

function hex(bytes: Buffer): string {
  return bytes.toString('hex');
}

/**
 * One UDP socket and everything on it (RFC 7016 §3.5): routes each datagram by its session id
 * before decrypting anything. Session id 0 carries handshakes: the responder answers IHellos
 * statelessly (cookies) and opens a session on a good IIKeying; RHellos and Redirects go to the
 * handshake we started with that tag. Other ids go to the session, or to a handshake in its
 * keying state (RIKeying, cookie change). What is short, misaligned, too big, undecryptable or
 * for an unknown id is dropped and counted, and costs no state; handshake packets are rate
 * limited per source address. Works for IPv4 and IPv6 (one family per socket).
 */
export class RtmfpEndpoint implements SessionHost, OpeningHost {
  readonly counters: EndpointCounters = {
    datagramsReceived: 0, datagramsSent: 0, bytesReceived: 0, bytesSent: 0,
    droppedMalformed: 0, droppedUndecryptable: 0, droppedUnknownSession: 0, droppedRateLimited: 0, droppedHandshake: 0,
  };
  readonly packetLimits: PacketLimits;
  readonly sessions = new Map<number, EndpointSession>();
  private readonly opening = new Map<number, OpeningSession>();
  private readonly openingByTag = new Map<string, OpeningSession>();
  private readonly rate: RateLimiter;
  private readonly random: RandomSource;
  private readonly clock: () => number;
  private readonly maxSessions: number;
  private responder: RtmfpResponder | undefined;
  private acceptOptions: AcceptOptions | undefined;
  private clientIdentity: RtmfpIdentity | undefined;
  private readonly introducers = new WeakSet<EndpointSession>();
  private closing: Promise<void> | undefined;
  private socketClosed = false;
  private sending = 0;
  private readonly flushed: (() => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly options: EndpointOptions,
  ) {
    this.random = options.random ?? secureRandom;
    this.clock = options.now ?? (() => performance.now());
    this.maxSessions = options.maxSessions ?? 10_000;
    this.packetLimits = { maxDatagramSize: options.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM_SIZE };
    this.rate = new RateLimiter(options.handshakeRate ?? { perSecond: 20, burst: 40 }, options.maxRateLimitedSources ?? 4096);
    socket.on('message', (bytes, rinfo) => this.onDatagram(bytes, rinfo));
    socket.on('error', () => {
      // ICMP errors (port unreachable) surface here on some systems; UDP carries on.
    });
  }

  /** Binds a UDP socket on `host:port` (port 0: any) and returns its endpoint. The family follows the host. */
  static bind(host: string, port: number, options: EndpointOptions = {}): Promise<RtmfpEndpoint> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EADDRINUSE') error.message = `UDP port ${port} on ${host} is already in use (${error.message})`;
        socket.close();
        reject(error);
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        // Bursts of a full congestion window must not overflow the kernel's queue (the OS caps these).
        try {
          socket.setRecvBufferSize(options.socketBufferBytes ?? 4 * 1024 * 1024);
          socket.setSendBufferSize(options.socketBufferBytes ?? 4 * 1024 * 1024);
        } catch {
          // Not allowed here: the defaults stand.
        }
        resolve(new RtmfpEndpoint(socket, options));
      });
    });
  }

  /** The bound address. */
  get address(): { address: string; port: number; family: string } {
    const address = this.socket.address();
    return { address: address.address, port: address.port, family: address.family };
  }

  now(): number {
    return this.clock();
  }

  /**
   * Starts answering handshakes: a server with its own identity, or a peer (peer to peer) with
   * `identity: endpoint.identity`, so that its certificate is the one its peer id names.
   */
  accept(options: AcceptOptions): void {
    this.acceptOptions = options;
    this.responder = new RtmfpResponder({
      ...options,
      identity: options.identity ?? this.options.serverIdentity ?? serverIdentity({ random: this.random }),
      random: this.random,
      limits: { ...this.options.handshakeLimits, ...options.limits },
      protection: options.protection ?? this.options.protection,
      now: () => Date.now(),
    });
  }

  /** This endpoint's identity as an initiator (made on first use; its fingerprint is our peer id). */
  get identity(): RtmfpIdentity {
    this.clientIdentity ??= this.options.clientIdentity ?? flashClientIdentity(this.random);
    return this.clientIdentity;
  }

  /** The responder's fingerprint (server peer id), once `accept` was called. */
  get serverFingerprint(): Buffer | undefined {
    return this.responder?.fingerprint;
  }

  /**
   * Takes FIHellos forwarded through `session` (our session to a rendezvous server): each is
   * answered, when it names us and we accept, with an RHello straight to the initiator's reply
   * address. FIHellos from other sessions are dropped (a peer cannot make us spray RHellos).
   */
  trustIntroducer(session: EndpointSession): void {
    this.introducers.add(session);
  }
  /** Opens a session to another endpoint: the handshake, then the open session. */
  async open(options: OpenOptions): Promise<EndpointSession> {
    if (this.closing) throw new SessionClosedError('the RTMFP endpoint is closed');
    const initiator = new RtmfpInitiator({ epd: options.epd, sessionId: this.allocateSessionId(), identity: this.identity, random: this.random, limits: this.options.handshakeLimits, protection: this.options.protection });
    const opening = new OpeningSession(initiator, options.addresses, this, options.timeoutMs, options.signal, options.progress);
    this.opening.set(opening.sessionId, opening);
    this.openingByTag.set(hex(initiator.tag), opening);
    opening.start();
    const result = await opening.done;
    const session = this.sessions.get(result.nearSessionId);
    if (!session) throw new SessionClosedError('the session closed as it opened');
    return session;
  }

  /** Closes every session at once (their close requests go out) and the socket. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const opening of [...this.opening.values()]) opening.fail(new SessionClosedError('the RTMFP endpoint closed'));
      for (const session of [...this.sessions.values()]) {
        session.machine.abort(this.now(), undefined);
        session.poll();
        session.stop();
      }
      await this.flush();
      this.socketClosed = true;
      await new Promise<void>((resolve) => this.socket.close(() => resolve()));
    })();
    return this.closing;
  }

  // ---- SessionHost / OpeningHost ---------------------------------------------------------

  send(datagram: Buffer, to: PeerAddress): void {
    if (this.socketClosed) return;
    this.sending++;
    this.counters.datagramsSent++;
    this.counters.bytesSent += datagram.length;
    try {
      this.socket.send(datagram, to.port, to.host, () => {
        if (--this.sending === 0) for (const resolve of this.flushed.splice(0)) resolve();
      });
    } catch {
      this.sending--; // the socket closed meanwhile
    }
  }

  /** Resolves once the datagrams handed to the socket are sent (closing it earlier would drop them). */
  private flush(): Promise<void> {
    if (this.sending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.flushed.push(resolve);
      setTimeout(resolve, 200).unref();
    });
  }

  sendStartup(chunk: Chunk, to: PeerAddress, sessionId: number): void {
    this.send(sealStartupPacket([encodeChunk(chunk)], { sessionId, timestamp: Math.floor(this.now() / 4) & 0xffff }), to);
  }

  forget(session: EndpointSession): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.acceptOptions?.onSessionEnd?.(session);
  }

  opened(opening: OpeningSession, result: HandshakeResult, from: PeerAddress): void {
    this.dropOpening(opening);
    const session = this.newSession(result, from);
    for (const early of opening.early.splice(0)) session.datagram(early.bytes, early.from);
  }

  abandoned(opening: OpeningSession): void {
    this.dropOpening(opening);
  }

  forwardedHello(chunk: FIHelloChunk, session: EndpointSession): void {
    if (!this.responder || !this.introducers.has(session) || !this.rate.take(chunk.replyAddress.host, this.now())) {
      this.counters.droppedHandshake++;
      return;
    }
    try {
      const answer = this.responder.handleFIHello(chunk);
      if (answer) this.sendStartup(answer.rhello, answer.to, 0);
      else this.counters.droppedHandshake++;
    } catch (error) {
      if (!RtmpError.isInstance(error)) throw error;
      this.counters.droppedHandshake++;
    }
  }

  private dropOpening(opening: OpeningSession): void {
    if (this.opening.get(opening.sessionId) === opening) this.opening.delete(opening.sessionId);
    const tag = hex(opening.initiator.tag);
    if (this.openingByTag.get(tag) === opening) this.openingByTag.delete(tag);
  }

  private newSession(result: HandshakeResult, remote: PeerAddress): EndpointSession {
    const session = new EndpointSession(result, remote, this, this.options.session ?? {});
    this.sessions.set(session.id, session);
    return session;
  }

  /** A random, non-zero session id no session or handshake of ours uses. */
  private allocateSessionId(): number {
    if (this.sessions.size + this.opening.size >= this.maxSessions) {
      throw new LimitExceededError('maxSessions', this.maxSessions, 'one more RTMFP session');
    }
    for (;;) {
      const id = this.random(4).readUInt32BE(0);
      if (id !== 0 && !this.sessions.has(id) && !this.opening.has(id)) return id;
    }
  }

  // ---- receiving -------------------------------------------------------------------------

  private onDatagram(bytes: Buffer, rinfo: RemoteInfo): void {
    this.counters.datagramsReceived++;
    this.counters.bytesReceived += bytes.length;
    const limit = this.packetLimits.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM_SIZE;
    if (bytes.length < MIN_DATAGRAM_SIZE || bytes.length > limit) {
      this.counters.droppedMalformed++;
      return;
    }
    const from: PeerAddress = { host: rinfo.address, port: rinfo.port };
    const sessionId = routeSessionId(bytes); // a session's own checks know its HMAC length
    const session = sessionId === 0 ? undefined : this.sessions.get(sessionId);
    if (session) {
      if (!session.datagram(bytes, from)) this.counters.droppedUndecryptable++;
      return;
    }
    const opening = sessionId === 0 ? undefined : this.opening.get(sessionId);
    if (opening) {
      this.keying(opening, bytes, from); // early session packets may carry an HMAC: kept whatever their length
      return;
    }
    if ((bytes.length - 4) % 16 !== 0) this.counters.droppedMalformed++;
    else if (sessionId === 0) this.startup(bytes, from);
    else this.counters.droppedUnknownSession++;
  }

  /** A datagram to the id of a handshake in progress: RIKeying or cookie change under the default key, or early session packets. */
  private keying(opening: OpeningSession, bytes: Buffer, from: PeerAddress): void {
    let packet;
    try {
      packet = openStartupPacket(bytes, this.packetLimits);
    } catch {
      opening.keepEarly(bytes, from);
      return;
    }
    if (packet.mode !== 'startup') {
      this.counters.droppedHandshake++;
      return;
    }
    for (const raw of packet.chunks) {
      const chunk = this.decode(raw);
      if (chunk && (chunk.kind === 'rikeying' || chunk.kind === 'cookie-change')) opening.receive(chunk, from);
    }
  }

  private decode(raw: { type: number; payload: Buffer }): Chunk | undefined {
    try {
      return decodeChunk(raw);
    } catch {
      this.counters.droppedHandshake++;
      return undefined;
    }
  }

  /** Session id 0: handshakes. */
  private startup(bytes: Buffer, from: PeerAddress): void {
    if (!this.rate.take(from.host, this.now())) {
      this.counters.droppedRateLimited++;
      return;
    }
    let packet;
    try {
      packet = openStartupPacket(bytes, this.packetLimits);
    } catch {
      this.counters.droppedUndecryptable++;
      return;
    }
    if (packet.mode !== 'startup') {
      this.counters.droppedHandshake++;
      return;
    }
    let answeredHello = false;
    for (const raw of packet.chunks) {
      const chunk = this.decode(raw);
      if (!chunk) return;
      switch (chunk.kind) {
        case 'ihello':
          if (answeredHello) continue;
          answeredHello = true;
          this.answerHello(chunk, from);
          continue;
        case 'iikeying':
          this.answerKeying(chunk, from);
          continue;
        case 'rhello':
        case 'redirect': {
          const opening = this.openingByTag.get(hex(chunk.tagEcho));
          if (opening) opening.receive(chunk, from);
          else this.counters.droppedHandshake++;
          continue;
        }
        default:
          this.counters.droppedHandshake++;
      }
    }
  }

  private answerHello(ihello: IHelloChunk, from: PeerAddress): void {
    if (!this.responder) return;
    try {
      const rhello = this.responder.handleIHello(ihello, from);
      if (rhello) this.sendStartup(rhello, from, 0);
      else this.acceptOptions?.onForeignHello?.(ihello, from);
    } catch (error) {
      if (!RtmpError.isInstance(error)) throw error;
      this.counters.droppedHandshake++;
    }
  }

  private answerKeying(iikeying: Chunk & { kind: 'iikeying' }, from: PeerAddress): void {
    if (!this.responder || !this.acceptOptions || this.closing) return;
    let outcome;
    try {
      outcome = this.responder.handleIIKeying(iikeying, from, () => this.allocateSessionId());
    } catch (error) {
      if (!RtmpError.isInstance(error)) throw error;
      this.counters.droppedHandshake++;
      return;
    }
    switch (outcome.kind) {
      case 'cookie-change':
        this.sendStartup(outcome.chunk, from, outcome.initiatorSessionId);
        return;
      case 'retransmit':
        this.sendStartup(outcome.rikeying, from, outcome.result.farSessionId);
        return;
      case 'accepted': {
        this.sendStartup(outcome.rikeying, from, outcome.result.farSessionId);
        const session = this.newSession(outcome.result, from);
        this.acceptOptions.onSession(session);
        return;
      }
    }
  }
}

