import { HandshakeError } from '../errors/index.js';
import {
  DEFAULT_FLASH_VERSION,
  FMS_KEY,
  FMS_KEY_TEXT,
  FP_KEY,
  FP_KEY_TEXT,
  HANDSHAKE_DIGEST_SIZE,
  HANDSHAKE_PACKET_SIZE,
  HANDSHAKE_PUBLIC_KEY_SIZE,
  RTMP_VERSION,
} from './constants.js';
import { findDigest } from './digest.js';
import { HandshakeMachine } from './handshake-machine.js';
import { keyPosition } from './layout.js';
import type { ClientHandshakeOptions } from './options.js';
import { resolveSources } from './options.js';
import { buildChallenge, buildEcho, buildSignedResponse, drawRandom, isEcho, matchResponse } from './packets.js';
import { signatureKey } from './signature.js';
import { checkPeerVersion } from './version.js';

type ClientStage = 'new' | 'await-s0' | 'await-s1' | 'await-s2' | 'done';

const ZERO_VERSION = new Uint8Array(4);

/**
 * The client side of the RTMP handshake as a pure state machine: `start()` gives C0+C1, then
 * `receive()` takes S0+S1+S2 in any pieces, answers S1 with C2 and ends after S2. In digest mode
 * (default) C1 carries a Flash-like version and a digest-first FP digest; a server that answers
 * plainly gets a plain echo, one that answers with an FMS digest gets a signed C2.
 */
export class ClientHandshake extends HandshakeMachine {
  private stage: ClientStage = 'new';
  private readonly c0Version: number;
  private readonly wantsDigest: boolean;
  private readonly verifyServer: boolean;
  private readonly flashVersion: Uint8Array;
  private readonly random: (size: number) => Uint8Array;
  private readonly now: () => number;
  private c1: Buffer | undefined;
  private c1Digest: Buffer | undefined;

  constructor(options: ClientHandshakeOptions = {}) {
    super('client', options.extension);
    const { random, now } = resolveSources(options);
    this.random = random;
    this.now = now;
    this.c0Version = options.extension?.clientVersion ?? RTMP_VERSION;
    // Anything but plain RTMP (RTMPE) only works with the digest scheme.
    this.wantsDigest = (options.digest ?? true) || this.c0Version !== RTMP_VERSION;
    this.verifyServer = options.verifyServer ?? true;
    this.flashVersion = options.flashVersion ?? options.extension?.flashVersion ?? DEFAULT_FLASH_VERSION;
  }

  /** Returns C0+C1 to send first. Call once. */
  start(): Buffer {
    if (this.stage !== 'new') throw new HandshakeError('start() was already called');
    const layout = this.wantsDigest ? (this.extension?.layout?.('client', undefined) ?? 'digest-first') : 'digest-first';
    const publicKey = this.wantsDigest ? this.extension?.ownPublicKey?.(this.hookContext(this.c0Version, layout)) : undefined;
    const challenge = buildChallenge({
      time: this.now(),
      versionBytes: this.wantsDigest ? this.flashVersion : ZERO_VERSION,
      random: drawRandom(this.random, HANDSHAKE_PACKET_SIZE - 8),
      digestKey: this.wantsDigest ? FP_KEY_TEXT : undefined,
      layout,
      publicKey,
    });
    this.c1 = challenge.packet;
    this.c1Digest = challenge.digest;
    this.learned.ownLayout = this.wantsDigest ? layout : undefined;
    this.stage = 'await-s0';
    return Buffer.concat([Buffer.of(this.c0Version), challenge.packet]);
  }

  protected override assertReady(): void {
    if (this.stage === 'new') throw new HandshakeError('call start() and send C0+C1 before receiving');
  }

  protected consume(input: Buffer, offset: number, output: Buffer[]): number {
    if (this.stage === 'await-s0') {
      const version = input[offset]!;
      checkPeerVersion(version, 'client', this.extension);
      this.learned.peerVersion = version;
      this.learned.handshakeType = version;
      this.stage = 'await-s1';
      return offset + 1;
    }
    const taken = this.collector.take(input, offset);
    if (this.collector.complete) {
      if (this.stage === 'await-s1') {
        output.push(this.answerS1(this.collector.finish()));
        this.stage = 'await-s2';
      } else {
        this.checkS2(this.collector.finish());
        this.stage = 'done';
        this.learned.done = true;
      }
    }
    return offset + taken;
  }

  /** Reads S1 and builds C2: signed when S1 has a valid FMS digest, an echo otherwise. */
  private answerS1(s1: Buffer): Buffer {
    const readTime = this.now();
    this.notePeerPacket(s1);
    if (!this.wantsDigest) return buildEcho(s1, readTime);

    const found = findDigest(s1, FMS_KEY_TEXT);
    if (!found) {
      this.assertPlainServerAcceptable(s1);
      this.learned.ownLayout = undefined;
      return buildEcho(s1, readTime);
    }

    this.learned.digest = true;
    this.learned.peerLayout = found.layout;
    this.learned.peerDigest = found.digest;
    const position = keyPosition(s1, found.layout);
    this.extension?.peerPublicKey?.(
      Buffer.from(s1.subarray(position, position + HANDSHAKE_PUBLIC_KEY_SIZE)),
      this.hookContext(this.c0Version, found.layout),
    );
    const key = signatureKey(found.digest, FP_KEY);
    const random = drawRandom(this.random, HANDSHAKE_PACKET_SIZE - HANDSHAKE_DIGEST_SIZE);
    return buildSignedResponse(random, key, this.signatureTransform(this.c0Version, key));
  }

  /**
   * A digest client meeting an S1 without a valid FMS digest: fine for a plain server (zero
   * version bytes, or our C1 sent back as nginx does in its old style), not when the S1 claims a
   * server version, and never for RTMPE-like types.
   */
  private assertPlainServerAcceptable(s1: Buffer): void {
    if (this.learned.handshakeType !== RTMP_VERSION) {
      throw new HandshakeError(`S1 has no valid server digest, which handshake type ${this.learned.handshakeType} requires`);
    }
    const plain = s1.subarray(4, 8).equals(ZERO_VERSION) || isEcho(s1, this.c1!);
    if (this.verifyServer && !plain) {
      throw new HandshakeError(
        'S1 has server version bytes but no valid FMS digest in either layout (set verifyServer: false to accept such a server)',
      );
    }
  }

  /** Checks S2 against C1: its signature in digest mode (fatal when verifying), else a noted echo. */
  private checkS2(s2: Buffer): void {
    const c1 = this.c1!;
    if (!this.learned.digest) {
      this.learned.responseMatch = matchResponse(s2, c1, undefined, (signature) => signature);
      return;
    }
    const key = signatureKey(this.c1Digest!, FMS_KEY);
    const match = matchResponse(s2, c1, key, this.signatureTransform(this.c0Version, key));
    this.learned.responseMatch = match;
    if (this.verifyServer && match !== 'signature') {
      throw new HandshakeError('S2 signature does not match the digest of our C1: the server is not genuine');
    }
  }
}
