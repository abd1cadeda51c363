import {
  DEFAULT_SESSION_TIMEOUTS,
  RtmpError,
  StreamRejectedError,
  startClientSession,
  startServerSession,
  type AmfValue,
  type CommandError,
  type ConnectInfo,
  type ConnectOptions,
  type IncomingSession,
  type PeerAddress,
  type Session,
} from '@rtmpkit/core';
import type { PeerAddress as RtmfpAddress } from '../codec/address.js';
import { peerEpd } from '../crypto/epd.js';
import { RtmfpPeerError } from '../errors.js';
import type { RtmfpEndpoint } from './endpoint.js';
import type { EndpointSession } from './endpoint-session.js';
import { openProgress, type OpenProgress } from './opening-session.js';
import { setSessionInfo } from './session-info.js';
import { TcChannel, type TcChannelOptions } from './tc-channel.js';
import { infoOf, noHandshake, tuningOf } from './tc-session.js';
import { PeerStreamImpl, type PeerStream, type PeerStreamOptions } from './peer-stream.js';

/** The URL a peer session's `connect` names: there is no server, only the peer. */
export const PEER_URL = 'rtmfp://peer/p2p';

/** A peer opening a session to us, before we answer. */
export interface PeerRequest {
  /** Its peer id (SHA-256 of its certificate; the handshake proved it holds the key), hex. */
  readonly peerId: string;
  readonly remote: PeerAddress;
  /** What it sent in `connect` (app `p2p` from rtmpkit peers). */
  readonly connectInfo: ConnectInfo;
}

/** Options of `acceptPeers`. */
export interface AcceptPeersOptions {
  /** Decides on each peer that opens a session to us; false refuses it (`NetConnection.Connect.Rejected`). Default: accept. */
  accept?(peer: PeerRequest): boolean | Promise<boolean>;
  /** An accepted peer session (e.g. to answer its calls, or to take over `onStreamRequest`). */
  onSession?(session: Session, peer: PeerRequest): void;
}

/** Options of `connectToPeer`. */
export interface ConnectToPeerOptions {
  /** Give up after this long, introduction and `connect` included. Default: the session's handshake timeout (10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Properties of the `connect` command object and user arguments sent to the peer. */
  command?: Record<string, AmfValue>;
  args?: AmfValue[];
}

/** What a hub needs of the client connection it belongs to. */
export interface PeerHubContext {
  readonly endpoint: RtmfpEndpoint;
  /** Our session to the server (the introducer). */
  readonly server: EndpointSession;
  readonly serverAddress: RtmfpAddress;
  readonly channelOptions: (role: 'client' | 'server') => TcChannelOptions;
  readonly tuning: ConnectOptions;
}

const PEER_ID = /^[0-9a-f]{64}$/;

/**
 * The peer-to-peer side of one RTMFP client connection: sessions to peers opened through the
 * server's introduction (`connect`), sessions from peers (`acceptPeers`), and streams published
 * to peers. Everything shares the connection's UDP socket, so the NAT mappings the server saw
 * are the ones peers are told about; when the connection closes, so do its peer sessions.
 */
export class PeerHub {
  private accepting = false;
  private options: AcceptPeersOptions = {};
  private readonly streams = new Map<string, PeerStreamImpl>();
  /** Peer sessions open now, both directions. */
  readonly sessions = new Set<Session>();

  constructor(
    private readonly context: PeerHubContext,
    readonly owner: Session,
  ) {}

  /** Our peer id, hex. */
  get peerId(): string {
    return this.context.endpoint.identity.decoded.fingerprint.toString('hex');
  }

  acceptPeers(options: AcceptPeersOptions): void {
    this.options = options;
    this.listen();
  }

  publish(name: string, options: PeerStreamOptions): PeerStream {
    if (this.streams.get(name)?.closed === false) throw new RangeError(`${name} is already published to peers`);
    const stream = new PeerStreamImpl(name, options, () => {
      if (this.streams.get(name) === stream) this.streams.delete(name);
    });
    this.streams.set(name, stream);
    this.listen();
    return stream;
  }

  async connect(peerId: string, options: ConnectToPeerOptions): Promise<Session> {
    const id = peerId.toLowerCase();
    if (!PEER_ID.test(id)) throw new RtmfpPeerError('peer-id', `a peer id is 64 hex digits (32 bytes), not ${JSON.stringify(peerId.slice(0, 80))}`, { peerId });
    if (id === this.peerId) throw new RtmfpPeerError('peer-id', 'that is our own peer id', { peerId: id });
    if (this.owner.state !== 'connected') throw new RtmfpPeerError('closed', 'the session to the server is closed: it introduces us to peers', { peerId: id });
    const { tuning, endpoint } = this.context;
    const timeoutMs = options.timeoutMs ?? tuning.timeouts?.handshake ?? DEFAULT_SESSION_TIMEOUTS.handshake;
    const deadline = Date.now() + timeoutMs;
    const progress = openProgress();
    let endpointSession: EndpointSession;
    try {
      endpointSession = await endpoint.open({ epd: peerEpd(Buffer.from(id, 'hex')), addresses: [this.context.serverAddress], timeoutMs, signal: options.signal, progress });
    } catch (error) {
      throw openFailure(id, error, progress, timeoutMs);
    }
    const channel = new TcChannel(endpointSession, this.context.channelOptions('client'));
    let session: Session;
    try {
      session = await startClientSession(channel, {
        ...tuningOf(tuning),
        timeouts: { ...tuning.timeouts, connect: Math.max(500, deadline - Date.now()) },
        url: PEER_URL,
        scheme: 'rtmfp',
        handshake: noHandshake(),
        pingInterval: 0,
        signal: options.signal,
        command: options.command,
        args: options.args,
      });
    } catch (error) {
      channel.destroy();
      throw connectFailure(id, error);
    }
    setSessionInfo(session, infoOf(endpointSession, endpoint.identity.decoded.fingerprint, []));
    this.track(session);
    return session;
  }

  private track(session: Session): void {
    this.sessions.add(session);
    void session.closed.then(() => this.sessions.delete(session));
  }

  /** Starts answering hellos for our peer id (forwarded by the server, or sent to us directly). */
  private listen(): void {
    if (this.accepting) return;
    this.accepting = true;
    const { endpoint } = this.context;
    endpoint.trustIntroducer(this.context.server);
    endpoint.accept({ identity: endpoint.identity, onSession: (session) => this.incoming(session) });
  }

  private incoming(endpointSession: EndpointSession): void {
    // A peer id proves something only when the certificate's static key keyed the session.
    if (!endpointSession.result.peerCertificate.isStatic) {
      endpointSession.machine.abort(endpointSession.now());
      endpointSession.pollSoon();
      return;
    }
    const channel = new TcChannel(endpointSession, this.context.channelOptions('server'));
    startServerSession(channel, { ...tuningOf(this.context.tuning), scheme: 'rtmfp', handshake: noHandshake(), pingInterval: 0 }).then(
      (incoming) => {
        setSessionInfo(incoming, infoOf(endpointSession, this.context.endpoint.identity.decoded.fingerprint, []));
        void this.answer(incoming, endpointSession);
      },
      () => {}, // the peer went away before connect: nothing to tell
    );
  }

  private async answer(incoming: IncomingSession, endpointSession: EndpointSession): Promise<void> {
    const peer: PeerRequest = {
      peerId: endpointSession.result.peerCertificate.fingerprint.toString('hex'),
      remote: incoming.remote,
      connectInfo: incoming.connectInfo,
    };
    let allowed: boolean;
    try {
      allowed = this.options.accept ? await this.options.accept(peer) : true;
    } catch {
      allowed = false;
    }
    if (!allowed || this.owner.state !== 'connected') {
      await incoming.reject('the peer refused the connection').catch(() => {});
      return;
    }
    const session = await incoming.accept().catch(() => undefined);
    if (!session) return;
    this.track(session);
    session.onStreamRequest({
      play: (request) => {
        const stream = this.streams.get(request.name);
        if (!stream) throw new StreamRejectedError('NetStream.Play.StreamNotFound', `${request.name} is not published to peers here`);
        return stream.subscribe(request, { peerId: peer.peerId, session });
      },
      publish: () => {
        throw new StreamRejectedError('NetStream.Publish.Denied', 'peers play each other\'s streams: publish with publishToPeers on your own connection');
      },
    });
    this.options.onSession?.(session, peer);
  }
}

function short(id: string): string {
  return `${id.slice(0, 12)}…`;
}

function named(error: unknown, name: string): boolean {
  return RtmpError.isInstance(error) && error.name === name;
}

function openFailure(id: string, error: unknown, progress: OpenProgress, timeoutMs: number): Error {
  if (!named(error, 'TimeoutError')) {
    if (named(error, 'AbortedError')) return error as Error;
    return new RtmfpPeerError('closed', `connecting to peer ${short(id)} failed: ${(error as Error).message}`, { cause: error, peerId: id });
  }
  const impostors = progress.wrongPeer > 0 ? `; ${progress.wrongPeer} answer(s) from endpoints that are not this peer were dropped` : '';
  if (progress.redirects === 0) {
    return new RtmfpPeerError(
      'unknown-peer',
      `the server introduced no peer ${short(id)} in ${timeoutMs} ms: it knows none by that id (never connected, or gone), or will not introduce us${impostors}`,
      { cause: error, peerId: id },
    );
  }
  const where = progress.introduced.map((address) => `${address.host}:${address.port}`).join(', ') || 'the addresses the server gave';
  return new RtmfpPeerError(
    'unreachable',
    `peer ${short(id)} was introduced but did not answer in ${timeoutMs} ms (tried ${where}): it does not accept peers, or no path gets through the NATs between us${impostors}`,
    { cause: error, peerId: id },
  );
}

function connectFailure(id: string, error: unknown): Error {
  if (named(error, 'AbortedError')) return error as Error;
  if (named(error, 'CommandError') && (error as CommandError).statusCode === 'NetConnection.Connect.Rejected') {
    return new RtmfpPeerError('refused', `peer ${short(id)} refused the connection`, { cause: error, peerId: id });
  }
  if (named(error, 'TimeoutError')) {
    return new RtmfpPeerError('unreachable', `peer ${short(id)} keyed a session but never answered connect (${(error as Error).message})`, { cause: error, peerId: id });
  }
  const message = RtmpError.isInstance(error) ? error.message : String(error);
  return new RtmfpPeerError('closed', `the session to peer ${short(id)} closed while connecting: ${message}`, { cause: error, peerId: id });
}
