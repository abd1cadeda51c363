import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkPackage, checkPackages } from '../check-packages.mjs';

const repoRoot = resolve(import.meta.dirname, '../../..');

function makePackage(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-check-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const goodManifest = {
  name: '@rtmpkit/example',
  version: '0.0.0',
  type: 'module',
  engines: { node: '>=20.19' },
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  files: ['dist'],
  scripts: { build: 'tsc', typecheck: 'tsc', lint: 'x', test: 'vitest run' },
};

describe('check-packages', () => {
  it('finds every package in this repository consistent', () => {
    expect(checkPackages(repoRoot)).toEqual([]);
  });

  it('accepts a package with the agreed shape', () => {
    const dir = makePackage({
      'package.json': JSON.stringify(goodManifest),
      'README.md': '# x\n```ts\nx()\n```\n',
      'test/a.test.ts': '',
      'tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
      'src/index.ts': '',
    });
    expect(checkPackage(dir)).toEqual([]);
  });

  it('names each missing piece', () => {
    const { types: _types, ...noTypes } = goodManifest.exports['.'];
    const dir = makePackage({
      'package.json': JSON.stringify({ ...goodManifest, exports: { '.': noTypes } }),
      'tsconfig.json': '{}',
    });
    expect(checkPackage(dir)).toEqual([
      '"exports"."." has no "types" condition',
      'has no README.md',
      'has no tests (test/**/*.test.ts)',
      'tsconfig.json does not extend ../../tsconfig.base.json',
      'has no src/index.ts',
    ]);
  });

  it('rejects a README without an example', () => {
    const dir = makePackage({
      'package.json': JSON.stringify(goodManifest),
      'README.md': '# x\n',
      'test/a.test.ts': '',
      'tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
      'src/index.ts': '',
    });
    expect(checkPackage(dir)).toEqual(['README.md has no code example']);
  });
});
