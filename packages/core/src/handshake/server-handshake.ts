import { HandshakeError } from '../errors/index.js';
import {
  DEFAULT_SERVER_VERSION,
  FMS_KEY,
  FMS_KEY_TEXT,
  FP_KEY,
  FP_KEY_TEXT,
  HANDSHAKE_DIGEST_SIZE,
  HANDSHAKE_PACKET_SIZE,
  HANDSHAKE_PUBLIC_KEY_SIZE,
  RTMP_VERSION,
} from './constants.js';
import { type FoundDigest, findDigest } from './digest.js';
import { HandshakeMachine } from './handshake-machine.js';
import { keyPosition } from './layout.js';
import type { ServerHandshakeOptions } from './options.js';
import { resolveSources } from './options.js';
import { buildChallenge, buildEcho, buildSignedResponse, drawRandom, matchResponse } from './packets.js';
import { signatureKey } from './signature.js';
import { checkPeerVersion } from './version.js';

type ServerStage = 'await-c0' | 'await-c1' | 'await-c2';

const ZERO_VERSION = new Uint8Array(4);

/**
 * The server side of the RTMP handshake as a pure state machine. `receive()` answers C0+C1 with
 * S0+S1+S2 and finishes on C2; bytes after C2 (clients send `connect` right behind it) come back
 * as `remainder`. The digest scheme is used when C1 has non-zero version bytes and a valid FP
 * digest in either layout; otherwise S1 is plain and S2 echoes C1.
 */
export class ServerHandshake extends HandshakeMachine {
  private stage: ServerStage = 'await-c0';
  private readonly version: Uint8Array;
  private readonly strictC2: boolean;
  private readonly random: (size: number) => Uint8Array;
  private readonly now: () => number;
  private c0Version = RTMP_VERSION;
  private s1: Buffer | undefined;
  private s1Digest: Buffer | undefined;

  constructor(options: ServerHandshakeOptions = {}) {
    super('server', options.extension);
    const { random, now } = resolveSources(options);
    this.random = random;
    this.now = now;
    this.version = options.version ?? DEFAULT_SERVER_VERSION;
    this.strictC2 = options.strictC2 ?? false;
  }

  protected consume(input: Buffer, offset: number, output: Buffer[]): number {
    if (this.stage === 'await-c0') {
      const version = input[offset]!;
      checkPeerVersion(version, 'server', this.extension);
      this.c0Version = version;
      this.learned.peerVersion = version;
      this.stage = 'await-c1';
      return offset + 1;
    }
    const taken = this.collector.take(input, offset);
    if (this.collector.complete) {
      if (this.stage === 'await-c1') {
        output.push(this.answerC1(this.collector.finish()));
        this.stage = 'await-c2';
      } else {
        this.checkC2(this.collector.finish());
        this.learned.done = true;
      }
    }
    return offset + taken;
  }

  /** Reads C1 and builds S0+S1+S2, in digest mode when C1 has a version and a valid digest. */
  private answerC1(c1: Buffer): Buffer {
    this.notePeerPacket(c1);
    const hasVersion = !c1.subarray(4, 8).equals(ZERO_VERSION);
    const found = hasVersion ? findDigest(c1, FP_KEY_TEXT) : undefined;
    if (!found && this.c0Version !== RTMP_VERSION) {
      throw new HandshakeError(`C1 has no valid client digest, which version ${this.c0Version} requires`);
    }
    const s0 = this.extension?.serverVersion?.(this.c0Version, c1) ?? this.c0Version;
    if (!Number.isInteger(s0) || s0 < 0 || s0 > 31) {
      throw new HandshakeError(`the extension chose S0 = ${s0}; a version byte is 0..31`);
    }
    this.learned.handshakeType = s0;
    const [s1, s2] = found ? this.digestAnswer(c1, found) : this.plainAnswer(c1);
    this.s1 = s1;
    return Buffer.concat([Buffer.of(s0), s1, s2]);
  }

  /**
   * S2 echoes C1 byte for byte, time2 included, as nginx-rtmp does: librtmp compares all 1536
   * bytes and warns "client signature does not match" at the spec's time2 = read time.
   */
  private plainAnswer(c1: Buffer): [Buffer, Buffer] {
    const { packet } = buildChallenge({
      time: this.now(),
      versionBytes: ZERO_VERSION,
      random: drawRandom(this.random, HANDSHAKE_PACKET_SIZE - 8),
      digestKey: undefined,
      layout: 'digest-first',
      publicKey: undefined,
    });
    return [packet, Buffer.from(c1)];
  }

  private digestAnswer(c1: Buffer, found: FoundDigest): [Buffer, Buffer] {
    this.learned.digest = true;
    this.learned.peerLayout = found.layout;
    this.learned.peerDigest = found.digest;
    const position = keyPosition(c1, found.layout);
    this.extension?.peerPublicKey?.(
      Buffer.from(c1.subarray(position, position + HANDSHAKE_PUBLIC_KEY_SIZE)),
      this.hookContext(this.c0Version, found.layout),
    );
    // nginx and (for FMS) SRS write digest-first; an RTMPE extension may mirror the client's layout.
    const layout = this.extension?.layout?.('server', found.layout) ?? 'digest-first';
    this.learned.ownLayout = layout;
    const s1 = buildChallenge({
      time: this.now(),
      versionBytes: this.version,
      random: drawRandom(this.random, HANDSHAKE_PACKET_SIZE - 8),
      digestKey: FMS_KEY_TEXT,
      layout,
      publicKey: this.extension?.ownPublicKey?.(this.hookContext(this.c0Version, layout)),
    });
    this.s1Digest = s1.digest;
    const key = signatureKey(found.digest, FMS_KEY);
    const random = drawRandom(this.random, HANDSHAKE_PACKET_SIZE - HANDSHAKE_DIGEST_SIZE);
    return [s1.packet, buildSignedResponse(random, key, this.signatureTransform(this.c0Version, key))];
  }

  /**
   * Checks C2 against S1. A signed C2 or an echo both pass (FFmpeg echoes S1 when publishing,
   * even in digest mode); anything else is noted, and fatal only with `strictC2`.
   */
  private checkC2(c2: Buffer): void {
    const key = this.s1Digest ? signatureKey(this.s1Digest, FP_KEY) : undefined;
    const transform = key ? this.signatureTransform(this.c0Version, key) : (signature: Buffer) => signature;
    const match = matchResponse(c2, this.s1!, key, transform);
    this.learned.responseMatch = match;
    if (match === 'mismatch' && this.strictC2) {
      throw new HandshakeError('C2 is neither signed for our S1 nor an echo of it (strictC2)');
    }
  }
}
