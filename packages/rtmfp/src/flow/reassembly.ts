import { LimitExceededError } from '@rtmpkit/core';
import type { Fragmentation } from '../codec/chunks/user-data.js';

/** What happened to one in-order fragment. */
export type ReassemblyOutcome =
  | { readonly kind: 'message'; readonly data: Buffer }
  | { readonly kind: 'partial' }
  /** Data that belongs to no message: a middle or end whose beginning was abandoned or skipped. */
  | { readonly kind: 'orphan' };

/**
 * Puts messages back together from in-order fragments (RFC 7016 §3.6.3.3): `whole` is a message,
 * `begin` … `middle` … `end` is one. A fragment that starts a message while another is half
 * built drops the half-built one (its other pieces were abandoned); `dropPartial` does the same
 * when the flow skips sequence numbers. A single-fragment message is handed out as a view, a
 * multi-fragment one is copied once. A message above `maxMessageSize` is a `LimitExceededError`.
 */
export class Reassembly {
  private parts: Buffer[] | undefined;
  private bytes = 0;
  /** Half-built messages given up because a piece of them will never come. */
  dropped = 0;

  constructor(private readonly maxMessageSize: number) {}

  /** Bytes of the message being built. */
  get partialBytes(): number {
    return this.bytes;
  }

  /** Gives up the message being built, if any (counted in `dropped`). */
  dropPartial(): void {
    if (this.parts) this.dropped++;
    this.parts = undefined;
    this.bytes = 0;
  }

  /** Takes the next fragment in sequence order. */
  push(fragmentation: Fragmentation, data: Buffer): ReassemblyOutcome {
    switch (fragmentation) {
      case 'whole':
        this.dropPartial();
        this.check(data.length);
        return { kind: 'message', data };
      case 'begin':
        this.dropPartial();
        this.check(data.length);
        this.parts = [data];
        this.bytes = data.length;
        return { kind: 'partial' };
      case 'middle':
      case 'end': {
        if (!this.parts) return { kind: 'orphan' };
        this.check(this.bytes + data.length);
        this.parts.push(data);
        this.bytes += data.length;
        if (fragmentation === 'middle') return { kind: 'partial' };
        const message = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes);
        this.parts = undefined;
        this.bytes = 0;
        return { kind: 'message', data: message };
      }
    }
  }

  private check(size: number): void {
    if (size > this.maxMessageSize) {
      this.parts = undefined;
      this.bytes = 0;
      throw new LimitExceededError('maxMessageSize', this.maxMessageSize, `an RTMFP message of at least ${size} bytes`);
    }
  }
}
