import type { FileHandle } from 'node:fs/promises';

const MIN_READ_AHEAD = 1024;
const MAX_READ_AHEAD = 64 * 1024;

/**
 * Positional reads from an open file through one cached window, so that many small reads of
 * neighbouring tag headers cost one system call. The read-ahead adapts: it grows while reads
 * follow one another (small tags) and shrinks while they jump far past the window (big frames
 * being skipped), so skipped bodies are mostly never read. Returned buffers are never reused.
 */
export class FileWindow {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  private readAhead = 4 * 1024;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Up to `length` bytes at `position`; fewer only where the file ends. */
  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(position + length, this.size);
    if (end <= position) return Buffer.alloc(0);
    const windowEnd = this.windowStart + this.window.length;
    if (position < this.windowStart || end > windowEnd) {
      const gap = position - windowEnd;
      this.readAhead = gap > this.readAhead ? Math.max(MIN_READ_AHEAD, this.readAhead / 2) : Math.min(MAX_READ_AHEAD, this.readAhead * 2);
      await this.fill(position, Math.min(Math.max(end - position, this.readAhead), this.size - position));
    }
    const from = position - this.windowStart;
    return this.window.subarray(from, Math.min(end - this.windowStart, this.window.length));
  }

  private async fill(position: number, want: number): Promise<void> {
    const buffer = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await this.handle.read(buffer, filled, want - filled, position + filled);
      if (bytesRead === 0) break; // the file shrank under us: give what there is
      filled += bytesRead;
    }
    this.window = buffer.subarray(0, filled);
    this.windowStart = position;
  }
}
