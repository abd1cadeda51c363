import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary folder for this test file, removed when the file's tests are done. Returns a path maker. */
export function useTempDir(): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-flv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name) => join(dir, name);
}
