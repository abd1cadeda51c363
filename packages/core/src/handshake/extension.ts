import type { HandshakeLayout } from './layout.js';

/** Which end of the connection a handshake object plays. */
export type HandshakeRole = 'client' | 'server';

/** What an extension hook is told about the handshake in progress. */
export interface HandshakeExtensionContext {
  role: HandshakeRole;
  /** The C0 byte: sent by a client, received by a server. */
  c0Version: number;
  /** The S0 byte, i.e. the handshake type (RTMPE: 6, 8 or 9). Undefined on a client before S0 arrives. */
  s0Version: number | undefined;
  /** The layout of the packet the hook is about (own C1/S1 for `ownPublicKey`, the peer's for `peerPublicKey`). */
  layout: HandshakeLayout;
}

/**
 * Hooks for a protocol layered on the digest handshake, RTMPE above all. Every hook is optional.
 * Whenever the C0 or S0 byte is not 3, the digest scheme is required on both sides: a peer whose
 * C1/S1 carries no valid digest fails with `HandshakeError`. Errors thrown by hooks that are not
 * rtmpkit errors reach the caller wrapped in a `HandshakeError` (with the original as `cause`).
 */
export interface HandshakeExtension {
  /** Client: the C0 byte to send instead of 3 (RTMPE sends 6). */
  readonly clientVersion?: number;
  /** Client: C1 bytes 4..7 (RTMPE: `80 00 03 02`). The `flashVersion` option, when given, wins. */
  readonly flashVersion?: Uint8Array;
  /**
   * Whether a peer version byte is acceptable (client: S0; server: C0). When this hook exists it
   * decides for every byte below 32, 3 included; without it only 3 is accepted. Bytes 32..255 are
   * never RTMP and always fail.
   */
  acceptVersion?(version: number, role: HandshakeRole): boolean;
  /** Server: the S0 byte to answer with, given C0 and the client's C1. Default: the same as C0. */
  serverVersion?(c0Version: number, c1: Buffer): number;
  /**
   * The layout of our own C1/S1 digest and key. `peerLayout` is where the client's digest was found
   * (server only). Default: digest-first (RTMPE clients want key-first).
   */
  layout?(role: HandshakeRole, peerLayout: HandshakeLayout | undefined): HandshakeLayout;
  /** The 128-byte public key to write at the key position of our own C1/S1; the digest is computed after, so it covers the key. */
  ownPublicKey?(context: HandshakeExtensionContext): Uint8Array;
  /** Receives the 128 bytes at the key position of the peer's C1/S1, in the layout whose digest checked out. */
  peerPublicKey?(key: Buffer, context: HandshakeExtensionContext): void;
  /**
   * Turns the plain 32-byte C2/S2 signature into the one on the wire (RTMPE types 8/9 encrypt it
   * with keys chosen from `signatureKey`, the 32-byte intermediate HMAC key). Called the same way
   * when writing our response and when checking the peer's, so both sides must agree.
   */
  transformSignature?(signature: Buffer, signatureKey: Buffer, context: HandshakeExtensionContext): Uint8Array;
}
