import { type ByteChannel, type ByteChannelHandlers, HandshakeError, type PeerAddress } from '@rtmpkit/core';
import type { Rc4 } from '../crypto/rc4.js';
import { RTMPE_RC4_DISCARD, type Rc4Keys, rtmpeCipher } from '../crypto/rc4-keys.js';
import { RTMPE_HANDSHAKE_LENGTH } from './constants.js';
import { looksLikeFirstChunk } from './first-chunk.js';

/** Options of `rc4Channel`. */
export interface Rc4ChannelOptions {
  /**
   * Bytes in each direction that pass in the clear before RC4 starts. Default: 0 when keys are
   * given to `rc4Channel` (the handshake happened elsewhere), otherwise `RTMPE_HANDSHAKE_LENGTH`
   * (3073: the channel carries the handshake, C0+C1+C2 one way and S0+S1+S2 the other).
   */
  plainBytes?: number;
  /** Keystream bytes thrown away before the first byte is ciphered. Default 1536 (`RTMPE_RC4_DISCARD`). */
  discard?: number;
}

/** Where an `Rc4Channel` is: still in the clear handshake, ciphering, or plain for good. */
export type Rc4ChannelState = 'handshake' | 'encrypted' | 'plain';

/** A `ByteChannel` that RC4-decrypts what it receives and encrypts what it sends, after a clear prefix. */
export interface Rc4Channel extends ByteChannel {
  /**
   * Gives the keys; call it before the clear prefix has passed (the RTMPE extension does, when it
   * reads the peer's key in C1/S1). Several candidates: the first encrypted bytes received decide
   * (the pair that decrypts them into a chunk header wins; none does: the first); a write before
   * that settles on the first.
   */
  setKeys(keys: Rc4Keys | readonly Rc4Keys[]): void;
  /** No encryption at all, for good (a plain RTMP peer on an RTMPE listener). Only before keys are set. */
  passThrough(): void;
  /** `'handshake'` while clear bytes are still due in either direction, then `'encrypted'` (or `'plain'`). */
  readonly state: Rc4ChannelState;
  /** The keys in use, once settled. */
  readonly keys: Rc4Keys | undefined;
}

/**
 * Wraps `inner` so the bytes on it are RTMPE's: the first `plainBytes` each way pass as they are
 * (the handshake), everything after is RC4 with `keys`. A read that holds the end of C2/S2 and the
 * start of the chunk stream is split: the clear part is delivered first (the handshake reads it
 * and the keys are set), then the rest is decrypted and delivered. Outgoing bytes are encrypted
 * into a fresh buffer, never in the caller's (which may be shared by many connections); incoming
 * ones are decrypted into a fresh buffer too.
 */
export function rc4Channel(inner: ByteChannel, keys?: Rc4Keys | readonly Rc4Keys[], options: Rc4ChannelOptions = {}): Rc4Channel {
  return new Rc4ByteChannel(inner, keys, options);
}

class Rc4ByteChannel implements Rc4Channel {
  private plainIn: number;
  private plainOut: number;
  private readonly discard: number;
  private candidates: readonly Rc4Keys[] | undefined;
  private chosen: Rc4Keys | undefined;
  private decipher: Rc4 | undefined;
  private encipher: Rc4 | undefined;
  private clear = false;
  private handlers: ByteChannelHandlers | undefined;
  private paused = false;
  private readonly held: Buffer[] = [];
  private probe: Buffer[] = [];
  private failure: Error | undefined;

  constructor(
    private readonly inner: ByteChannel,
    keys: Rc4Keys | readonly Rc4Keys[] | undefined,
    options: Rc4ChannelOptions,
  ) {
    const plain = options.plainBytes ?? (keys ? 0 : RTMPE_HANDSHAKE_LENGTH);
    if (!Number.isSafeInteger(plain) || plain < 0) throw new RangeError(`plainBytes must be a non-negative integer, got ${plain}`);
    this.plainIn = this.plainOut = plain;
    this.discard = options.discard ?? RTMPE_RC4_DISCARD;
    if (keys) this.setKeys(keys);
  }

  get state(): Rc4ChannelState {
    if (this.clear) return 'plain';
    return this.plainIn > 0 || this.plainOut > 0 ? 'handshake' : 'encrypted';
  }

  get keys(): Rc4Keys | undefined {
    return this.chosen;
  }

  get writableLength(): number {
    return this.inner.writableLength;
  }

  get remote(): PeerAddress {
    return this.inner.remote;
  }

  get secure(): boolean {
    return this.inner.secure;
  }

  setKeys(keys: Rc4Keys | readonly Rc4Keys[]): void {
    if (this.candidates) throw new Error('the RC4 keys were set already');
    if (this.clear) throw new Error('the channel passes bytes in the clear for good; it takes no keys');
    const list: readonly Rc4Keys[] = isKeyList(keys) ? keys : [keys];
    if (list.length === 0) throw new RangeError('setKeys needs at least one key pair');
    this.candidates = list;
    if (list.length === 1) this.choose(0);
  }

  passThrough(): void {
    if (this.candidates) throw new Error('the RC4 keys are set; the channel cannot turn plain');
    this.clear = true;
  }

  cork(): void {
    this.inner.cork?.();
  }

  uncork(): void {
    this.inner.uncork?.();
  }

  write(bytes: Uint8Array): boolean {
    if (this.failure) return false;
    if (this.clear) return this.inner.write(bytes);
    const plain = Math.min(this.plainOut, bytes.length);
    this.plainOut -= plain;
    if (plain === bytes.length) return this.inner.write(bytes);
    if (!this.encipher) {
      if (!this.candidates) return this.fail('bytes to send after the handshake, but no RC4 keys were set');
      this.choose(0);
    }
    const out = Buffer.allocUnsafe(bytes.length);
    out.set(bytes.subarray(0, plain));
    this.encipher!.process(bytes.subarray(plain), out.subarray(plain));
    return this.inner.write(out);
  }

  pause(): void {
    this.paused = true;
    this.inner.pause();
  }

  resume(): void {
    this.paused = false;
    while (!this.paused && this.held.length > 0) this.handlers?.data(this.held.shift()!);
    if (!this.paused) this.inner.resume();
  }

  end(): void {
    this.inner.end();
  }

  destroy(error?: Error): void {
    this.inner.destroy(error);
  }

  attach(handlers: ByteChannelHandlers): void {
    if (this.handlers) throw new Error('attach() was already called');
    this.handlers = handlers;
    this.inner.attach({
      data: (bytes) => this.receive(bytes),
      drain: () => handlers.drain(),
      close: (error) => handlers.close(error ?? this.failure),
    });
  }

  private receive(bytes: Buffer): void {
    if (this.failure) return;
    if (this.clear) return this.deliver(bytes);
    const plain = Math.min(this.plainIn, bytes.length);
    if (plain > 0) {
      this.plainIn -= plain;
      // The handshake runs during this call and may set the keys (or turn the channel plain).
      this.deliver(plain === bytes.length ? bytes : bytes.subarray(0, plain));
      if (plain === bytes.length || this.failure) return;
    }
    const rest = bytes.subarray(plain);
    if (this.clear) return this.deliver(rest);
    if (this.decipher) return this.deliver(this.decrypt(rest));
    if (!this.candidates) {
      this.fail('encrypted bytes arrived, but no RC4 keys were set: the handshake did not end as RTMPE');
      return;
    }
    this.probe.push(Buffer.from(rest));
    this.settleByProbe();
  }

  /** With several candidate keys: decides once the first encrypted bytes say which pair fits. */
  private settleByProbe(): void {
    const pending = Buffer.concat(this.probe);
    let waiting = false;
    for (let index = 0; index < this.candidates!.length; index++) {
      const trial = rtmpeCipher(this.candidates![index]!.keyIn, this.discard).process(Buffer.from(pending));
      const verdict = looksLikeFirstChunk(trial);
      if (verdict === 'yes') return this.choose(index);
      if (verdict === 'more') waiting = true;
    }
    if (!waiting) this.choose(0);
  }

  private choose(index: number): void {
    const keys = this.candidates![index]!;
    this.chosen = keys;
    this.decipher = rtmpeCipher(keys.keyIn, this.discard);
    this.encipher = rtmpeCipher(keys.keyOut, this.discard);
    const pending = this.probe;
    this.probe = [];
    for (const piece of pending) this.deliver(this.decrypt(piece));
  }

  private decrypt(bytes: Buffer): Buffer {
    return this.decipher!.process(bytes, Buffer.allocUnsafe(bytes.length)) as Buffer;
  }

  private deliver(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.paused || this.held.length > 0) this.held.push(bytes);
    else this.handlers?.data(bytes);
  }

  private fail(reason: string): false {
    this.failure = new HandshakeError(`RTMPE: ${reason}`);
    this.inner.destroy(this.failure);
    return false;
  }
}

function isKeyList(keys: Rc4Keys | readonly Rc4Keys[]): keys is readonly Rc4Keys[] {
  return Array.isArray(keys);
}
