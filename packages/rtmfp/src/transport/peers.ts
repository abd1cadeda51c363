import type { Session } from '@rtmpkit/core';
import { RtmfpPeerError } from '../errors.js';
import type { AcceptPeersOptions, ConnectToPeerOptions, PeerHub } from './peer-hub.js';
import type { PeerStream, PeerStreamOptions } from './peer-stream.js';

const hubs = new WeakMap<Session, PeerHub>();

/** Records the peer hub of a client session (transport internal). */
export function setPeerHub(session: Session, hub: PeerHub): void {
  hubs.set(session, hub);
}

function hubOf(session: Session, what: string): PeerHub {
  const hub = hubs.get(session);
  if (!hub) throw new RtmfpPeerError('not-rtmfp', `${what} needs an RTMFP client session made by rtmfp().connect(); this one is ${session.scheme} ${session.role}`);
  return hub;
}

/**
 * Opens a session straight to another client of the same server, by its peer id (its
 * `rtmfpSessionInfo(session).nearPeerId`): the server introduces us (Redirect to us, FIHello to
 * the peer), both ends send at once through their NATs, and the handshake checks that the
 * far end's certificate is the one the peer id names. The result is an ordinary `Session`
 * (client role): `createStream()`, `play()` a stream the peer publishes with
 * `publishToPeers`, `call()`. Media between peers never touches the server. Rejects with an
 * `RtmfpPeerError`: `unknown-peer` when the server introduced nobody in time, `unreachable`
 * when the peer did not answer, `refused` when its accept hook said no.
 */
export function connectToPeer(session: Session, peerId: string, options: ConnectToPeerOptions = {}): Promise<Session> {
  try {
    return hubOf(session, 'connectToPeer').connect(peerId, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Lets peers open sessions to us through the server's introductions (and only then: FIHellos
 * are answered on this connection only after this or `publishToPeers`). `accept` decides on
 * each peer by its peer id; accepted peers may play what `publishToPeers` publishes.
 */
export function acceptPeers(session: Session, options: AcceptPeersOptions = {}): void {
  hubOf(session, 'acceptPeers').acceptPeers(options);
}

/**
 * Publishes a stream that peers play directly (Flash: a NetStream on `DIRECT_CONNECTIONS`).
 * Accepts peers (see `acceptPeers` to choose which); `options.onPeerConnect` hears about, and
 * may refuse, each peer that plays it.
 */
export function publishToPeers(session: Session, name: string, options: PeerStreamOptions = {}): PeerStream {
  return hubOf(session, 'publishToPeers').publish(name, options);
}

/** The peer sessions of a client connection open now (both directions). */
export function peerSessions(session: Session): Session[] {
  return [...(hubs.get(session)?.sessions ?? [])];
}
