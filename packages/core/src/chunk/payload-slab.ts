/**
 * Carves owned payloads of up to 64 KiB out of 1 MiB blocks: one allocation serves many video
 * frames (Node's own pool stops at 4 KiB), and the garbage collector sees few large objects.
 * A block lives until every payload cut from it is gone, as with Node's pool.
 *
 * Decoders share one slab (`sharedPayloadSlab`), as connections share Node's pool: a slab per
 * decoder would hold 1 MiB for every idle connection.
 */
export class PayloadSlab {
  private block: Buffer = Buffer.alloc(0);
  private used = 0;

  take(length: number): Buffer {
    if (length > 64 * 1024) return Buffer.allocUnsafeSlow(length);
    if (this.used + length > this.block.length) {
      this.block = Buffer.allocUnsafeSlow(1024 * 1024);
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + length);
    this.used += (length + 7) & ~7; // keep views 8-byte aligned
    return view;
  }
}

/** The slab every `ChunkDecoder` carves owned payloads from. */
export const sharedPayloadSlab = new PayloadSlab();
