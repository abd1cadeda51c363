import { createHmac, timingSafeEqual } from 'node:crypto';
import { ByteReader, RtmpError } from '@rtmpkit/core';
import { encodeAddress, type PeerAddress } from '../codec/address.js';
import { encodeVlu, readVlu } from '../codec/vlu.js';

/** How a cookie checks out: ours and for this address, ours but issued to another address, or not ours / expired. */
export type CookieCheck = 'ok' | 'mismatch' | 'bad';

/** Cookie timing. */
export interface CookieOptions {
  /** Length of a time slot; each slot has its own key. Default 10 s. */
  readonly slotMs?: number;
  /** How long a cookie stays good after its slot began, default 95 s (MonaServer's and rtmfp-cpp's handshake lifetime). */
  readonly lifetimeMs?: number;
}

const MAC_LENGTH = 32;

/**
 * Stateless RHello cookies: the responder keeps nothing per initiator until a cookie comes back.
 *
 * A cookie is `time slot (VLU) | MAC(slot) | MAC(slot, address)`, 32 bytes per MAC, each an
 * HMAC-SHA256 under a key derived from the master secret and the slot, so every slot has its
 * own key and old cookies die with their slot. The first MAC says "we issued this"; the second
 * binds it to the initiator's address, so a good cookie from another address is told apart
 * (the responder then answers with a cookie change). The IHello's tag is not
 * bound: the IIKeying that brings the cookie back does not carry it.
 */
export class CookieJar {
  private readonly secret: Buffer;
  private readonly slotMs: number;
  private readonly lifetimeMs: number;

  /** `secret` (at least 16 bytes) should be random and private to this responder, or shared by a cluster. */
  constructor(secret: Uint8Array, options: CookieOptions = {}) {
    if (secret.length < 16) throw new RangeError('a cookie secret needs at least 16 bytes');
    this.secret = Buffer.from(secret);
    this.slotMs = options.slotMs ?? 10_000;
    this.lifetimeMs = options.lifetimeMs ?? 95_000;
  }

  private slotKey(slot: number): Buffer {
    return createHmac('sha256', this.secret).update('rtmfp cookie slot key').update(encodeVlu(slot)).digest();
  }

  private macs(slot: number, address: PeerAddress): [Buffer, Buffer] {
    const key = this.slotKey(slot);
    const slotBytes = encodeVlu(slot);
    const issued = createHmac('sha256', key).update('issued').update(slotBytes).digest();
    const bound = createHmac('sha256', key)
      .update('address')
      .update(slotBytes)
      .update(encodeAddress({ host: address.host, port: address.port }))
      .digest();
    return [issued, bound];
  }

  /** A cookie for an initiator at `address`, at time `nowMs`. */
  issue(address: PeerAddress, nowMs: number): Buffer {
    const slot = Math.floor(nowMs / this.slotMs);
    return Buffer.concat([encodeVlu(slot), ...this.macs(slot, address)]);
  }

  /** Checks a returned cookie against the address it came from, at time `nowMs`. */
  check(cookie: Uint8Array, address: PeerAddress, nowMs: number): CookieCheck {
    const reader = new ByteReader(cookie);
    let slot: number;
    try {
      slot = readVlu(reader);
    } catch (error) {
      if (RtmpError.isInstance(error)) return 'bad';
      throw error;
    }
    if (reader.remaining !== 2 * MAC_LENGTH) return 'bad';
    const age = nowMs - slot * this.slotMs;
    if (age < 0 || age > this.lifetimeMs) return 'bad';
    const [issued, bound] = this.macs(slot, address);
    if (!timingSafeEqual(reader.bytes(MAC_LENGTH), issued)) return 'bad';
    return timingSafeEqual(reader.bytes(MAC_LENGTH), bound) ? 'ok' : 'mismatch';
  }
}
