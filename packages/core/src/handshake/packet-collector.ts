/**
 * Gathers a fixed-size packet from input that may arrive in pieces of any size, copying each
 * byte once (byte-at-a-time feeding stays linear).
 */
export class PacketCollector {
  private buffer: Buffer;
  private filled = 0;

  constructor(private readonly size: number) {
    this.buffer = Buffer.alloc(size);
  }

  /** Copies as many bytes as still fit from `input[offset..]`; returns how many it took. */
  take(input: Buffer, offset: number): number {
    const count = Math.min(this.size - this.filled, input.length - offset);
    input.copy(this.buffer, this.filled, offset, offset + count);
    this.filled += count;
    return count;
  }

  /** True once `size` bytes have been gathered. */
  get complete(): boolean {
    return this.filled === this.size;
  }

  /** Hands out the gathered packet and starts an empty one. */
  finish(): Buffer {
    const packet = this.buffer;
    this.buffer = Buffer.alloc(this.size);
    this.filled = 0;
    return packet;
  }
}
