import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('@rtmpkit/core is pure', () => {
  const files = sourceFiles(srcDir);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((file) => [file.slice(srcDir.length + 1), file]))('%s imports no socket or HTTP module', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const io = text.match(/(?:from|import\()\s*['"](?:node:)?(net|tls|dgram|http|https|http2|fs|child_process)['"]/g);
    expect(io).toBeNull();
  });

  // Codecs are synchronous functions of their input; only the session layer may keep time.
  const codecFiles = files.filter((file) => !file.includes(`${join('src', 'session')}`));
  it.each(codecFiles.map((file) => [file.slice(srcDir.length + 1), file]))('%s starts no timer', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\b(setTimeout|setInterval|setImmediate)\(/);
  });
});
