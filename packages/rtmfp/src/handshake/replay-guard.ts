import { LimitExceededError } from '@rtmpkit/core';

/** What the responder remembers about a cookie it accepted. */
export interface AcceptedKeying<T> {
  readonly initiatorSessionId: number;
  /** The SKIC as received: a retransmitted IIKeying repeats it byte for byte. */
  readonly skic: Buffer;
  /** What to answer a retransmission with (the same RIKeying, so both ends keep the same keys). */
  readonly answer: T;
}

/**
 * Remembers the cookies of accepted IIKeyings until they expire, so that a retransmitted
 * IIKeying gets the identical RIKeying again and a different IIKeying with a used cookie is
 * refused. This is state, but only for initiators whose cookie already came back good.
 * Holds at most `maxEntries` (the limit `maxRecentKeyings`); entries must be added in time order.
 */
export class CookieReplayGuard<T> {
  private readonly entries = new Map<string, AcceptedKeying<T> & { readonly expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly lifetimeMs: number,
  ) {}

  /** Entries currently held. */
  get size(): number {
    return this.entries.size;
  }

  private prune(nowMs: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > nowMs) break;
      this.entries.delete(key);
    }
  }

  /** The accepted keying for this cookie, if it is still remembered. */
  lookup(cookie: Uint8Array, nowMs: number): AcceptedKeying<T> | undefined {
    this.prune(nowMs);
    return this.entries.get(Buffer.from(cookie).toString('base64'));
  }

  /** Throws `LimitExceededError` when no room is left (after dropping expired entries). */
  assertRoom(nowMs: number): void {
    this.prune(nowMs);
    if (this.entries.size >= this.maxEntries) {
      throw new LimitExceededError('maxRecentKeyings', this.maxEntries, 'too many handshakes accepted within a cookie lifetime');
    }
  }

  /** Records an accepted cookie. */
  remember(cookie: Uint8Array, accepted: AcceptedKeying<T>, nowMs: number): void {
    this.assertRoom(nowMs);
    this.entries.set(Buffer.from(cookie).toString('base64'), { ...accepted, expiresAt: nowMs + this.lifetimeMs });
  }
}
