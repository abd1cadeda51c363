import { stat } from 'node:fs/promises';
import { indexFlvFile, type FlvIndex } from '@rtmpkit/flv';

interface Entry {
  mtimeMs: number;
  size: number;
  index: Promise<FlvIndex>;
}

/**
 * Keyframe indexes of FLV files, kept for the next play of the same file: at most `maxEntries`
 * (least recently used go first), and re-made when the file's size or modification time
 * changed (a recording still being written, a file replaced). Files are indexed with
 * `truncated: 'stop'`, so a recording cut by a crash plays up to its last complete tag.
 */
export class FlvIndexCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxTagSize?: number,
  ) {}

  /** The index of `path`; rejects when the file is missing or is not FLV. */
  async get(path: string): Promise<FlvIndex> {
    const facts = await stat(path);
    if (!facts.isFile()) throw new Error(`${path} is not a file`);
    const cached = this.entries.get(path);
    if (cached && cached.mtimeMs === facts.mtimeMs && cached.size === facts.size) {
      this.entries.delete(path);
      this.entries.set(path, cached); // most recently used last
      return cached.index;
    }
    const entry: Entry = { mtimeMs: facts.mtimeMs, size: facts.size, index: indexFlvFile(path, { truncated: 'stop', maxTagSize: this.maxTagSize }) };
    this.entries.delete(path);
    this.entries.set(path, entry);
    entry.index.catch(() => {
      if (this.entries.get(path) === entry) this.entries.delete(path);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry.index;
  }

  /** Files indexed now. */
  get size(): number {
    return this.entries.size;
  }
}
