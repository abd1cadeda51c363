import type { HandshakeDriver, SessionTuning } from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import type { EndpointSession } from './endpoint-session.js';
import type { RtmfpSessionInfo } from './session-info.js';

/** The RTMFP handshake is over before core's session starts; its own handshake ends on the first bytes. */
export function noHandshake(): HandshakeDriver {
  return { receive: (bytes) => ({ output: [], done: true, remainder: Buffer.from(bytes) }) };
}

/** Only the tuning of core's session from a bag of options (connect or listen options). */
export function tuningOf(options: SessionTuning): SessionTuning {
  const { timeouts, limits, chunkSize, windowAckSize, maxChunkStreamId } = options;
  return { timeouts, limits, chunkSize, windowAckSize, maxChunkStreamId };
}

/** What `rtmfpSessionInfo` tells about a session on `session`. */
export function infoOf(session: EndpointSession, near: Buffer, reported: PeerAddress[]): RtmfpSessionInfo {
  return {
    nearPeerId: near.toString('hex'),
    farPeerId: session.result.peerCertificate.fingerprint.toString('hex'),
    reportedAddresses: reported,
    protection: session.result.protection,
    get remote() {
      return session.remote;
    },
    get keepaliveMs() {
      return session.machine.options.keepaliveMs;
    },
    get stats() {
      return session.machine.stats;
    },
  };
}
