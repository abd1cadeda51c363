import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// This package's first layer is pure: no sockets, no timers. The session layer that comes next
// adds them in its own folder.

const srcDir = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const files = sources(srcDir).map((path) => ({ path: relative(srcDir, path), text: readFileSync(path, 'utf8') }));

describe('purity of the codec, crypto and handshake layers', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.path.startsWith('codec/'))).toBe(true);
  });

  it('imports no socket or network module', () => {
    const offenders = files.filter((f) => /from\s+['"](node:)?(dgram|net|tls|http|https|http2|timers)['"]/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('starts no timer', () => {
    const offenders = files.filter((f) => /\b(setTimeout|setInterval|setImmediate|process\.nextTick)\s*\(/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('the codec reads no clock and draws no randomness (both are injected above it)', () => {
    const codec = files.filter((f) => f.path.startsWith('codec/'));
    const offenders = codec.filter((f) => /\bDate\.now\b|\brandomBytes\b|Math\.random/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('keeps files small: one idea each', () => {
    const long = files.filter((f) => f.text.split('\n').length > 400).map((f) => f.path);
    expect(long).toEqual([]);
  });
});
