/**
 * A FIFO of byte chunks that hands out up to N bytes at a time as slices (no copying): what the
 * tunnel keeps between one HTTP request and the next, in either direction.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  private bytes = 0;

  /** Bytes waiting. */
  get length(): number {
    return this.bytes;
  }

  /** Appends a chunk (empty chunks are ignored). The queue keeps a reference: do not reuse it. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.bytes += chunk.length;
  }

  /** Removes and returns up to `max` bytes from the front, as slices of the queued chunks. */
  take(max: number): Buffer[] {
    const out: Buffer[] = [];
    let room = max;
    while (room > 0 && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head]!;
      if (chunk.length <= room) {
        out.push(chunk);
        room -= chunk.length;
        this.head++;
      } else {
        out.push(chunk.subarray(0, room));
        this.chunks[this.head] = chunk.subarray(room);
        room = 0;
      }
    }
    this.bytes -= max - room;
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Drops everything. */
  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.bytes = 0;
  }
}

/** The total length of some chunks. */
export function totalLength(chunks: readonly Uint8Array[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  return total;
}
