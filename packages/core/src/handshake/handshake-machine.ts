import { HandshakeError, RtmpError } from '../errors/index.js';
import { HANDSHAKE_PACKET_SIZE } from './constants.js';
import type { HandshakeExtension, HandshakeExtensionContext, HandshakeRole } from './extension.js';
import type { HandshakeLayout } from './layout.js';
import type { HandshakeInfo, HandshakeStep, ResponseMatch } from './options.js';
import { PacketCollector } from './packet-collector.js';
import type { SignatureTransform } from './packets.js';

const EMPTY = Buffer.alloc(0);

/** The writable side of `HandshakeInfo`, filled in by the role classes as they learn. */
export interface LearnedState {
  done: boolean;
  peerVersion: number | undefined;
  handshakeType: number | undefined;
  digest: boolean;
  peerLayout: HandshakeLayout | undefined;
  peerDigest: Buffer | undefined;
  ownLayout: HandshakeLayout | undefined;
  peerTime: number | undefined;
  peerVersionBytes: Buffer | undefined;
  peerPacket: Buffer | undefined;
  responseMatch: ResponseMatch | undefined;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Anything a hook throws that is not ours becomes a HandshakeError, so callers catch one kind. */
function asRtmpError(error: unknown): RtmpError {
  if (RtmpError.isInstance(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new HandshakeError(`handshake failed in an extension hook: ${detail}`, { cause: error });
}

/**
 * What both roles share: the learned facts, the incremental `receive()` loop, sticky failure and
 * the plumbing to the extension. Subclasses consume bytes one stage at a time.
 */
export abstract class HandshakeMachine implements HandshakeInfo {
  protected readonly learned: LearnedState = {
    done: false,
    peerVersion: undefined,
    handshakeType: undefined,
    digest: false,
    peerLayout: undefined,
    peerDigest: undefined,
    ownLayout: undefined,
    peerTime: undefined,
    peerVersionBytes: undefined,
    peerPacket: undefined,
    responseMatch: undefined,
  };
  protected readonly collector = new PacketCollector(HANDSHAKE_PACKET_SIZE);
  private failure: RtmpError | undefined;

  protected constructor(
    protected readonly role: HandshakeRole,
    protected readonly extension: HandshakeExtension | undefined,
  ) {}

  /** True once the handshake has finished. */
  get done(): boolean { return this.learned.done; }
  /** The peer's C0 (server) or S0 (client) byte. */
  get peerVersion(): number | undefined { return this.learned.peerVersion; }
  /** The S0 byte both sides follow (3, or RTMPE's 6/8/9). */
  get handshakeType(): number | undefined { return this.learned.handshakeType; }
  /** True when the digest scheme was used in both directions. */
  get digest(): boolean { return this.learned.digest; }
  /** The layout in which the peer's digest checked out. */
  get peerLayout(): HandshakeLayout | undefined { return this.learned.peerLayout; }
  /** The 32-byte digest found in the peer's C1/S1. */
  get peerDigest(): Buffer | undefined { return this.learned.peerDigest; }
  /** The layout of our own C1/S1 digest (undefined in plain mode). */
  get ownLayout(): HandshakeLayout | undefined { return this.learned.ownLayout; }
  /** The peer's C1/S1 time field. */
  get peerTime(): number | undefined { return this.learned.peerTime; }
  /** The peer's C1/S1 bytes 4..7. */
  get peerVersionBytes(): Buffer | undefined { return this.learned.peerVersionBytes; }
  /** The peer's whole C1/S1. */
  get peerPacket(): Buffer | undefined { return this.learned.peerPacket; }
  /** How the peer's C2/S2 compared with what we expected. */
  get responseMatch(): ResponseMatch | undefined { return this.learned.responseMatch; }

  /**
   * Feeds bytes from the peer, split anywhere. Returns what to send now, whether the handshake is
   * over, and the bytes after its end. Throws an `RtmpError` (normally `HandshakeError`) on a bad
   * peer; after that every call throws again.
   */
  receive(bytes: Uint8Array): HandshakeStep {
    if (this.failure) {
      throw new HandshakeError('the handshake already failed', { cause: this.failure });
    }
    const input = asBuffer(bytes);
    if (this.learned.done) return { output: [], done: true, remainder: input };
    this.assertReady();
    const output: Buffer[] = [];
    try {
      let offset = 0;
      while (offset < input.length && !this.learned.done) {
        offset = this.consume(input, offset, output);
      }
      return { output, done: this.learned.done, remainder: this.learned.done ? input.subarray(offset) : EMPTY };
    } catch (error) {
      this.failure = asRtmpError(error);
      throw this.failure;
    }
  }

  /** Throws when `receive()` may not be called yet (a programming error; does not fail the machine). */
  protected assertReady(): void {}

  /** Consumes bytes of the current stage from `input[offset..]`, pushes any output; returns the new offset. */
  protected abstract consume(input: Buffer, offset: number, output: Buffer[]): number;

  /** Records the facts every C1/S1 carries. */
  protected notePeerPacket(packet: Buffer): void {
    this.learned.peerPacket = packet;
    this.learned.peerTime = packet.readUInt32BE(0);
    this.learned.peerVersionBytes = packet.subarray(4, 8);
  }

  /** The context handed to extension hooks. */
  protected hookContext(c0Version: number, layout: HandshakeLayout): HandshakeExtensionContext {
    return { role: this.role, c0Version, s0Version: this.learned.handshakeType, layout };
  }

  /** The extension's signature transform bound to this handshake, or the identity. */
  protected signatureTransform(c0Version: number, key: Buffer): SignatureTransform {
    const hook = this.extension?.transformSignature;
    if (!hook) return (signature) => signature;
    const context = this.hookContext(c0Version, this.learned.ownLayout ?? 'digest-first');
    return (signature) => hook.call(this.extension, signature, key, context);
  }
}
