import { HandshakeError, RtmpError, RtmpProtocolError, type RtmpErrorOptions } from '@rtmpkit/core';

/**
 * Why a datagram was refused before any chunk was read:
 * - `short`: fewer than 20 bytes (4 for the scrambled session id, at least one AES block);
 * - `misaligned`: the encrypted part is not a whole number of 16-byte blocks;
 * - `checksum`: the 16-bit checksum does not match (wrong key, or garbage);
 * - `mode`: the flags byte has mode 0, which RFC 7016 reserves as invalid;
 * - `chunk`: a chunk's length runs past the end of the packet;
 * - `hmac`: the session negotiated a packet HMAC (RFC 7425 §4.6.3) and this one does not match.
 */
export type RtmfpPacketProblem = 'short' | 'misaligned' | 'checksum' | 'mode' | 'chunk' | 'hmac';

/**
 * A datagram that is not an RTMFP packet under the key tried. The code stays
 * `ERR_RTMP_PROTOCOL`; `problem` says which check failed. A session drops such a datagram
 * and carries on: on UDP anyone can send anything.
 */
export class RtmfpPacketError extends RtmpProtocolError {
  readonly problem: RtmfpPacketProblem;

  constructor(problem: RtmfpPacketProblem, message: string, options?: RtmpErrorOptions) {
    super(message, options);
    this.name = 'RtmfpPacketError';
    this.problem = problem;
  }
}

/**
 * Why a handshake step was refused:
 * - `tag`: an RHello, Redirect or cookie change that answers another IHello or IIKeying;
 * - `state`: a chunk that this side does not expect now;
 * - `cookie`: a cookie that we did not issue, or that expired;
 * - `replay`: a cookie already used by a different IIKeying;
 * - `epd`: the responder's certificate is not the one the endpoint discriminator asked for;
 * - `certificate`: a certificate that breaks the Flash profile (both or neither key kinds, bad options);
 * - `group`: no Diffie-Hellman group in common, or a key for a group we do not have;
 * - `public-key`: a Diffie-Hellman public key that fails the RFC 7425 §4.6.2 checks;
 * - `keying`: a session keying component that lacks what it must carry;
 * - `negotiation`: per-packet HMAC or session sequence numbers (RFC 7425 §4.6.3–4.6.4) cannot
 *   be agreed: our `required` policy meets a peer that will not send them, or the peer
 *   announces an HMAC length outside 4..32.
 */
export type RtmfpHandshakeProblem =
  | 'tag'
  | 'state'
  | 'cookie'
  | 'replay'
  | 'epd'
  | 'certificate'
  | 'group'
  | 'public-key'
  | 'keying'
  | 'negotiation';

/**
 * An RTMFP handshake step failed. It is a `HandshakeError` (code `ERR_RTMP_HANDSHAKE`), so code
 * that handles every variant's handshake failures catches it too; `problem` tells which check.
 */
export class RtmfpHandshakeError extends HandshakeError {
  readonly problem: RtmfpHandshakeProblem;

  constructor(problem: RtmfpHandshakeProblem, message: string, options?: RtmpErrorOptions) {
    super(message, options);
    this.name = 'RtmfpHandshakeError';
    this.problem = problem;
  }
}

/**
 * Why a peer-to-peer connection failed:
 * - `not-rtmfp`: the session given is not an RTMFP client session made by `rtmfp().connect()`;
 * - `peer-id`: the peer id is not 64 hex digits (32 bytes), or is our own;
 * - `unknown-peer`: the server introduced nobody in time: it knows no peer by that id (never
 *   registered, or gone), or it refused to introduce us. A rendezvous answers nothing then, so
 *   this is always after the timeout;
 * - `unreachable`: the server introduced the peer, but no answer came from its addresses in
 *   time (it does not accept peers, or no path exists through the NATs between us); answers
 *   from endpoints whose certificate is not the peer id's are dropped and counted;
 * - `refused`: the peer's accept hook refused us;
 * - `closed`: the session to the server (or the peer session being opened) closed meanwhile.
 */
export type RtmfpPeerProblem = 'not-rtmfp' | 'peer-id' | 'unknown-peer' | 'unreachable' | 'refused' | 'closed';

/** Connecting to a peer (RTMFP peer to peer) failed; `problem` says how, `cause` what was underneath. Code `ERR_RTMFP_PEER`. */
export class RtmfpPeerError extends RtmpError {
  readonly problem: RtmfpPeerProblem;
  /** The peer id asked for (hex), when there was one. */
  readonly peerId: string | undefined;

  constructor(problem: RtmfpPeerProblem, message: string, options?: RtmpErrorOptions & { peerId?: string }) {
    super(message, options, 'ERR_RTMFP_PEER');
    this.name = 'RtmfpPeerError';
    this.problem = problem;
    this.peerId = options?.peerId;
  }
}
