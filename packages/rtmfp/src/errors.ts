import { HandshakeError, RtmpProtocolError, type RtmpErrorOptions } from '@rtmpkit/core';

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
