import type { PeerAddress } from '../codec/address.js';
import type { IHelloChunk } from '../codec/chunks/hello-chunks.js';
import type { PacketLimits } from '../codec/packet.js';
import type { ProtectionPolicy } from '../crypto/negotiation.js';
import type { RandomSource } from '../crypto/random.js';
import type { HandshakeLimits } from '../handshake/limits.js';
import type { RtmfpIdentity } from '../handshake/identity.js';
import type { ResponderOptions } from '../handshake/responder.js';
import type { SessionMachineOptions } from '../session/session-options.js';
import type { EndpointSession } from './endpoint-session.js';
import type { OpenProgress } from './opening-session.js';
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

/** What an endpoint counted: traffic, and how much it dropped and why. */
export interface EndpointCounters {
  datagramsReceived: number;
  datagramsSent: number;
  /** UDP payload bytes received and sent (every datagram: handshakes, sessions, garbage). */
  bytesReceived: number;
  bytesSent: number;
  /** Too short, not whole blocks (outside a session), too large. */
  droppedMalformed: number;
  /** Did not open (wrong key, bad checksum or HMAC, not whole blocks, a repeated sequence number) or carried nothing usable. */
  droppedUndecryptable: number;
  /** Addressed to no session we know. */
  droppedUnknownSession: number;
  /** Handshake packets over a source's rate. */
  droppedRateLimited: number;
  /** Handshake chunks refused by the responder or initiator checks, and FIHellos we do not take. */
  droppedHandshake: number;
}

/** What to do with new sessions and with hellos for other endpoints. */
export interface AcceptOptions extends Omit<ResponderOptions, 'random' | 'now'> {
  /** A new session opened (the handshake is done). */
  onSession(session: EndpointSession): void;
  /** A session ended (closed, timed out, or the endpoint closed): its id is forgotten. */
  onSessionEnd?(session: EndpointSession): void;
  /** An IHello for another endpoint (peer to peer: a rendezvous server redirects or introduces here). Default: ignored. */
  onForeignHello?(ihello: IHelloChunk, from: PeerAddress): void;
}

/** How to open a session. */
export interface OpenOptions {
  /** What the far end must be: `serverEpd(url)` or `peerEpd(peerId)`. */
  readonly epd: Buffer;
  /** Where to send the IHello (a Redirect may add more). */
  readonly addresses: readonly PeerAddress[];
  /** Give up after this long (at most 95 s). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Filled in as the handshake goes: redirects taken, answers from the wrong endpoint. */
  readonly progress?: OpenProgress;
}
