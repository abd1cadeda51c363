import { type HandshakeExtension, type HandshakeExtensionContext, type HandshakeLayout, type HandshakeRole, RTMP_VERSION } from '@rtmpkit/core';
import { type DhKeyPair, type SecretPadding, generateKeyPair, layOutSecret, sharedSecretValue } from '../crypto/dh.js';
import { type Rc4Keys, deriveRc4Keys } from '../crypto/rc4-keys.js';
import { RTMPE_FLASH_VERSION, RTMPE_VERSION, RTMPE_XTEA_VERSION, type RtmpeType, isRtmpeType } from './constants.js';
import { rtmpeSignature } from './signature-cipher.js';

/** Options of the RTMPE handshake, both roles. */
export interface RtmpeHandshakeOptions {
  /**
   * Server: the handshake type (S0) to answer an RTMPE client with. `'auto'` (default) does what
   * librtmp's server does: 8 when C1 byte 4 is 128 (librtmp and FFmpeg clients send 128.0.3.2),
   * otherwise the client's own C0. A number answers every RTMPE client with that type.
   */
  serverType?: 'auto' | RtmpeType;
  /**
   * Server: the layout of our S1 (where the digest and the DH key go). `'mirror'` (default) uses the
   * layout the client's C1 used, as librtmp's server does (key-first for RTMPE clients). FFmpeg,
   * when publishing, reads the server key at the digest-first position without checking the digest:
   * choose `'digest-first'` to serve it. Players (librtmp, FFmpeg) find the digest in either layout.
   */
  serverLayout?: 'mirror' | HandshakeLayout;
  /**
   * How the shared secret is laid into the 128 bytes the RC4-key HMACs are keyed with; peers
   * differ when the secret has a leading zero byte (1 time in 256; see `SecretPadding`).
   * `'auto'` (the server's default) derives keys for both forms and lets the RC4 channel pick the
   * pair that decrypts the client's first bytes into a chunk header. A client sends first, so it
   * cannot tell: its default is `'trailing-zeros'` (FFmpeg, librtmp with OpenSSL); on a client
   * `'auto'` means the same.
   */
  secretPadding?: SecretPadding | 'auto';
  /** Server: also accept plain RTMP clients (C0 = 3); their bytes then pass unencrypted. Default false. */
  acceptPlain?: boolean;
  /** Our Diffie-Hellman key pair. Default: a fresh random one per connection (tests inject one). */
  keyPair?: DhKeyPair;
}

/** What the extension reports to whoever wires it to a channel. */
export interface RtmpeExtensionEvents {
  /**
   * The RC4 keys, as soon as the peer's public key was read (before the handshake ends). More
   * than one pair only with `secretPadding: 'auto'` and an ambiguous secret: the best guess first.
   */
  keys?(candidates: readonly Rc4Keys[]): void;
  /** A server with `acceptPlain` met a plain RTMP client: nothing will be encrypted. */
  plain?(): void;
}

const AUTO_ORDER: readonly SecretPadding[] = ['trailing-zeros', 'leading-zeros'];

/**
 * The `HandshakeExtension` that turns core's digest handshake into RTMPE, for either role and one
 * connection: C0 = 6 and C1 version 128.0.3.2 with the key-first layout (client); S0 = 6, 8 or 9
 * (server); our Diffie-Hellman public key written into the key block before the digest; the peer's
 * key read from the layout whose digest checked out and checked; the RC4 keys derived from the
 * shared secret; and the type 8 (XTEA) / type 9 (Blowfish) C2/S2 signature cipher.
 */
export class RtmpeExtension implements HandshakeExtension {
  readonly clientVersion = RTMPE_VERSION;
  readonly flashVersion: Uint8Array = RTMPE_FLASH_VERSION;
  private ownKeys: DhKeyPair | undefined;
  private derived: readonly Rc4Keys[] | undefined;
  private plainPeer = false;

  constructor(
    private readonly options: RtmpeHandshakeOptions = {},
    private readonly events: RtmpeExtensionEvents = {},
  ) {
    this.ownKeys = options.keyPair;
  }

  /** Our key pair (made on first use). */
  get keyPair(): DhKeyPair {
    this.ownKeys ??= generateKeyPair();
    return this.ownKeys;
  }

  /** The RC4 key candidates once the peer's key was read (see `RtmpeExtensionEvents.keys`). */
  get keyCandidates(): readonly Rc4Keys[] | undefined {
    return this.derived;
  }

  /** True when a server with `acceptPlain` met a plain RTMP client. */
  get plain(): boolean {
    return this.plainPeer;
  }

  acceptVersion(version: number, role: HandshakeRole): boolean {
    if (isRtmpeType(version)) return true;
    return role === 'server' && version === RTMP_VERSION && this.options.acceptPlain === true;
  }

  serverVersion(c0Version: number, c1: Buffer): number {
    if (c0Version === RTMP_VERSION) {
      this.plainPeer = true;
      this.events.plain?.();
      return RTMP_VERSION;
    }
    const type = this.options.serverType ?? 'auto';
    if (type !== 'auto') return type;
    return c1[4] === 128 ? RTMPE_XTEA_VERSION : c0Version;
  }

  layout(role: HandshakeRole, peerLayout: HandshakeLayout | undefined): HandshakeLayout {
    if (role === 'client') return 'key-first';
    const choice = this.options.serverLayout ?? 'mirror';
    return choice === 'mirror' ? (peerLayout ?? 'key-first') : choice;
  }

  ownPublicKey(): Uint8Array {
    return this.keyPair.publicKey;
  }

  peerPublicKey(key: Buffer, context: HandshakeExtensionContext): void {
    // A plain client with a digest (FP9) has random bytes where RTMPE puts a key.
    if (context.role === 'server' && context.c0Version === RTMP_VERSION) return;
    const own = this.keyPair;
    const secret = sharedSecretValue(own, key);
    const candidates: Rc4Keys[] = [];
    const seen = new Set<string>();
    for (const padding of this.paddings(context.role)) {
      const laidOut = layOutSecret(secret, padding);
      const id = laidOut.toString('hex');
      if (seen.has(id)) continue;
      seen.add(id);
      candidates.push(deriveRc4Keys(laidOut, own.publicKey, key));
    }
    this.derived = candidates;
    this.events.keys?.(candidates);
  }

  transformSignature(signature: Buffer, signatureKey: Buffer, context: HandshakeExtensionContext): Uint8Array {
    return rtmpeSignature(context.s0Version ?? RTMPE_VERSION, signature, signatureKey);
  }

  private paddings(role: HandshakeRole): readonly SecretPadding[] {
    const choice = this.options.secretPadding ?? (role === 'server' ? 'auto' : 'trailing-zeros');
    return choice === 'auto' ? AUTO_ORDER : [choice];
  }
}
