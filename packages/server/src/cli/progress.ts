/** Where progress goes: stderr, and only when it is a terminal. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Milliseconds as `HH:MM:SS.s`. */
export function formatClock(ms: number): string {
  const tenths = Math.max(0, Math.floor(ms / 100));
  const seconds = Math.floor(tenths / 10);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${tenths % 10}`;
}

/** Bytes as `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

/**
 * One progress line, rewritten in place at most every `intervalMs`: media time, bitrate over the
 * last few seconds, bytes. Writes nothing unless the output is a terminal (so logs and pipes
 * stay clean).
 */
export class Progress {
  private readonly samples: Array<{ at: number; bytes: number }> = [];
  private lastDraw = 0;
  private bytes = 0;
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly output: ProgressOutput = process.stderr,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.output.isTTY === true;
  }

  /** Bits per second over the last 3 s of `add` calls. */
  get bitrate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at === first.at) return 0;
    return ((last.bytes - first.bytes) * 8 * 1000) / (last.at - first.at);
  }

  /** `bytes` more went through; `mediaMs` is the media time reached. */
  add(bytes: number, mediaMs: number): void {
    this.bytes += bytes;
    const at = this.now();
    this.samples.push({ at, bytes: this.bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > 3000) this.samples.shift();
    if (this.enabled && at - this.lastDraw >= this.intervalMs) {
      this.lastDraw = at;
      this.draw(mediaMs);
    }
  }

  /** Ends the line (with a last update) if anything was shown. */
  finish(mediaMs: number, note = ''): void {
    if (!this.enabled) return;
    this.draw(mediaMs, note);
    if (this.shown) this.output.write('\n');
  }

  private draw(mediaMs: number, note = ''): void {
    this.shown = true;
    const kbps = Math.round(this.bitrate / 1000);
    this.output.write(`\r\x1b[K${this.label}  ${formatClock(mediaMs)}  ${kbps} kb/s  ${formatBytes(this.bytes)}${note ? `  ${note}` : ''}`);
  }
}
