import type { PacketLimits } from '../codec/packet.js';
import type { ProtectionPolicy } from '../crypto/negotiation.js';
import type { RandomSource } from '../crypto/random.js';
import type { HandshakeLimits } from '../handshake/limits.js';
import type { RtmfpIdentity } from '../handshake/identity.js';
import type { SessionMachineOptions } from '../session/session-options.js';
import type { RateLimit } from './rate-limiter.js';

/** Settings of one UDP endpoint (one socket, any number of sessions). */
export interface EndpointOptions {
  /** Handshake packets (session id 0) accepted per source address. Default 20/s, bursts of 40. */
  handshakeRate?: RateLimit;
  /** Source addresses the rate limiter tracks at once. Default 4096. */
  maxRateLimitedSources?: number;
  /** Open sessions at once; handshakes beyond it are dropped. Default 10 000. */
  maxSessions?: number;
  /** Socket send and receive buffers asked of the OS (which may cap them). Default 4 MiB. */
  socketBufferBytes?: number;
  /** Datagrams larger than this are dropped unread. Default 8192. */
  maxDatagramSize?: number;
  /** Handshake field limits. */
  handshakeLimits?: HandshakeLimits;
  /** Settings of every session on this endpoint. */
  session?: SessionMachineOptions;
  /** Defaults to the OS's CSPRNG; inject for tests. */
  random?: RandomSource;
  /** Monotonic clock in ms. Default `performance.now()`. */
  now?: () => number;
  /** The responder's identity (servers); default: ephemeral keys in groups 14 and 2. */
  serverIdentity?: RtmfpIdentity;
  /** The initiator's identity (clients); default: one Flash Player-shaped static key per endpoint. */
  clientIdentity?: RtmfpIdentity;
  /**
   * Per-packet HMAC and session sequence numbers (RFC 7425 §4.6.3–4.6.4), both ways: `on-request`
   * (default: used only when the peer asks or always sends them, as Flash Player does) or
   * `required` (always sent, and a peer that will not send them is refused, as rtmfp-cpp does by default).
   */
  protection?: ProtectionPolicy;
}

/** What `EndpointOptions` resolve to where a default exists. */
export interface ResolvedEndpointLimits {
  readonly maxSessions: number;
  readonly packetLimits: PacketLimits;
}
