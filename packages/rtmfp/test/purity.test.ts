import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Everything but the transport is pure: no sockets, no timers. Sockets, timers and the clock
// live in src/transport/ only; the flow and session state machines get time passed in.

const srcDir = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const all = sources(srcDir).map((path) => ({ path: relative(srcDir, path), text: readFileSync(path, 'utf8') }));
const files = all.filter((f) => !f.path.startsWith('transport/'));

describe('purity of the codec, crypto, handshake, flow, session and TC layers', () => {
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

  it('the flow and session state machines read no clock and draw no randomness', () => {
    const machines = files.filter((f) => f.path.startsWith('flow/') || f.path.startsWith('session/') || f.path.startsWith('tc/'));
    expect(machines.length).toBeGreaterThan(8);
    const offenders = machines.filter((f) => /\bDate\.now\b|\bperformance\.now\b|\brandomBytes\b|Math\.random|queueMicrotask/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('only the transport imports node:dgram', () => {
    const offenders = all.filter((f) => /from\s+['"](node:)?dgram['"]/.test(f.text) && !f.path.startsWith('transport/')).map((f) => f.path);
    expect(offenders).toEqual([]);
    expect(all.some((f) => f.path.startsWith('transport/') && /node:dgram/.test(f.text))).toBe(true);
  });

  it('the codec reads no clock and draws no randomness (both are injected above it)', () => {
    const codec = files.filter((f) => f.path.startsWith('codec/'));
    const offenders = codec.filter((f) => /\bDate\.now\b|\brandomBytes\b|Math\.random/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('keeps files small: one idea each', () => {
    const long = all.filter((f) => f.text.split('\n').length > 400).map((f) => f.path);
    expect(long).toEqual([]);
  });
});
