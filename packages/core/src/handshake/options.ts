import { randomBytes } from 'node:crypto';
import type { HandshakeExtension } from './extension.js';
import type { HandshakeLayout } from './layout.js';

/** What one `receive()` call produced. */
export interface HandshakeStep {
  /** Bytes to send to the peer now, in order (e.g. C2, or S0+S1+S2). */
  output: Buffer[];
  /** True once the handshake has finished. */
  done: boolean;
  /** Bytes received after the handshake ended: they belong to the chunk stream. May share memory with the input. */
  remainder: Buffer;
}

/** How the peer's C2/S2 compared: a valid digest-mode signature, an echo of our C1/S1, or neither. */
export type ResponseMatch = 'signature' | 'echo' | 'mismatch';

/** Options both roles take. Inject `random` and `now` for deterministic tests. */
export interface CommonHandshakeOptions {
  /** Returns `size` random bytes. Default: node:crypto `randomBytes`. */
  random?: (size: number) => Uint8Array;
  /** Milliseconds on the caller's clock; written as a uint32 (mod 2^32) into C1/S1 and C2/S2. Default: `Date.now`. */
  now?: () => number;
  /** Hooks for RTMPE and similar layers. */
  extension?: HandshakeExtension;
}

/** Options of `ClientHandshake`. */
export interface ClientHandshakeOptions extends CommonHandshakeOptions {
  /** Use the digest scheme (Flash-like version bytes and a C1 digest). Default true; false = plain handshake. */
  digest?: boolean;
  /** C1 bytes 4..7 in digest mode. Default `09 00 7C 02` (as FFmpeg). */
  flashVersion?: Uint8Array;
  /**
   * Default true. When S1 carries a valid FMS digest, the S2 signature must check out; when S1
   * has non-zero version bytes but no valid digest, the server is rejected. Either failure is a
   * `HandshakeError`. A server that answers plainly (zero version bytes in S1, or S1 = our C1
   * sent back) is always accepted.
   */
  verifyServer?: boolean;
}

/** Options of `ServerHandshake`. */
export interface ServerHandshakeOptions extends CommonHandshakeOptions {
  /** S1 bytes 4..7 in digest mode. Default nginx-rtmp's `0D 0E 0A 0D`. */
  version?: Uint8Array;
  /** Default false: a C2 that is neither signed nor an echo is only noted (`responseMatch`). True = `HandshakeError`. */
  strictC2?: boolean;
}

/** Everything a handshake object has learned about its peer so far. */
export interface HandshakeInfo {
  /** True once the handshake has finished. */
  readonly done: boolean;
  /** The peer's C0 (server) or S0 (client) byte. */
  readonly peerVersion: number | undefined;
  /** The S0 byte, i.e. the handshake type both sides follow (3, or RTMPE's 6/8/9). */
  readonly handshakeType: number | undefined;
  /** True when the digest scheme was used in both directions. */
  readonly digest: boolean;
  /** The layout in which the peer's digest checked out. */
  readonly peerLayout: HandshakeLayout | undefined;
  /** The 32-byte digest found in the peer's C1/S1. */
  readonly peerDigest: Buffer | undefined;
  /** The layout of our own C1/S1 digest (undefined in plain mode). */
  readonly ownLayout: HandshakeLayout | undefined;
  /** The peer's C1/S1 time field. */
  readonly peerTime: number | undefined;
  /** The peer's C1/S1 bytes 4..7 (zero for plain peers; a Flash or server version otherwise). */
  readonly peerVersionBytes: Buffer | undefined;
  /** The peer's whole 1536-byte C1/S1 (RTMPE reads the public key from it). */
  readonly peerPacket: Buffer | undefined;
  /** How the peer's C2/S2 compared with what we expected; undefined until it arrived. */
  readonly responseMatch: ResponseMatch | undefined;
}

/** Fills in the injectable sources of randomness and time. */
export function resolveSources(options: CommonHandshakeOptions): { random: (size: number) => Uint8Array; now: () => number } {
  return { random: options.random ?? randomBytes, now: options.now ?? Date.now };
}
