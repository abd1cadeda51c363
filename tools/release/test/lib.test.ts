// The release helpers on made-up inputs: fast, no registry.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { THREE_VIDEO_MESSAGES, transportProgram } from '../lib/consumers.mjs';
import { typeCheckConsumers } from '../lib/fresh-project.mjs';
import { userEnv } from '../lib/processes.mjs';
import { readTarball, tarballProblems } from '../lib/tarball.mjs';
import { internalClosure, internalDependencies, listPublicPackages, repoRoot } from '../lib/workspace.mjs';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-release-lib-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const manifest = {
  name: '@rtmpkit/example',
  version: '0.0.0',
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
  dependencies: { '@rtmpkit/core': '^0.0.0' },
};

function files(entries: Record<string, string>): Map<string, Buffer> {
  return new Map(Object.entries(entries).map(([path, text]) => [path, Buffer.from(text)]));
}

describe('internal dependencies', () => {
  const manifests = new Map<string, Record<string, any>>([
    ['@rtmpkit/core', {}],
    ['@rtmpkit/rtmp', { dependencies: { '@rtmpkit/core': 'workspace:^' } }],
    ['@rtmpkit/rtmpt', { dependencies: { '@rtmpkit/core': 'workspace:^' } }],
    ['@rtmpkit/rtmpe', { dependencies: { '@rtmpkit/rtmp': 'workspace:^', '@rtmpkit/rtmpt': 'workspace:^', '@rtmpkit/core': 'workspace:^' }, devDependencies: { '@rtmpkit/compliance': 'workspace:*' } }],
  ]);

  it('installs a package with every internal package it needs at run time, and no dev ones', () => {
    expect(internalDependencies(manifests.get('@rtmpkit/rtmpe')!)).toEqual(['@rtmpkit/core', '@rtmpkit/rtmp', '@rtmpkit/rtmpt']);
    expect(internalClosure('@rtmpkit/rtmpe', manifests)).toEqual(['@rtmpkit/core', '@rtmpkit/rtmp', '@rtmpkit/rtmpe', '@rtmpkit/rtmpt']);
    expect(internalClosure('@rtmpkit/core', manifests)).toEqual(['@rtmpkit/core']);
  });

  it('refuses a dependency that is not a public package', () => {
    const broken = new Map([...manifests, ['@rtmpkit/x', { dependencies: { '@rtmpkit/test-peers': 'workspace:^' } }]]);
    expect(() => internalClosure('@rtmpkit/x', broken)).toThrow('@rtmpkit/x needs @rtmpkit/test-peers, which is not a public package of this workspace');
  });

  it('lists the public packages of this repository, with the finished ones among them', () => {
    const names = listPublicPackages(repoRoot).map((pkg) => pkg.name);
    expect(names).toEqual(expect.arrayContaining(['@rtmpkit/core', '@rtmpkit/compliance', '@rtmpkit/flv', '@rtmpkit/rtmp', '@rtmpkit/rtmpe', '@rtmpkit/rtmpt']));
    expect(names.every((name) => name.startsWith('@rtmpkit/'))).toBe(true);
  });
});

describe('tarball rules', () => {
  it('accepts dist, README and the manifest', () => {
    expect(tarballProblems({ manifest, files: files({ 'package.json': '{}', 'README.md': '', 'dist/index.js': '', 'dist/index.d.ts': '' }) })).toEqual([]);
  });

  it('names what must not ship, ranges pnpm did not rewrite, and missing targets', () => {
    const problems = tarballProblems({
      manifest: {
        ...manifest,
        version: '0.1.0',
        dependencies: { '@rtmpkit/core': 'workspace:^' },
        devDependencies: { '@rtmpkit/compliance': 'link:../compliance' },
        bin: { rtmpkit: './bin/rtmpkit.js' },
      },
      files: files({
        'package.json': '{}',
        'dist/index.js': '',
        'dist/index.js.map': '',
        'dist/codec.test.js': '',
        'dist/fixtures/capture.bin': '',
        'src/index.ts': '',
        'bin/rtmpkit.js': "console.log('no shebang')",
      }),
    });
    expect(problems).toEqual([
      'dependencies.@rtmpkit/core is "workspace:^" in the tarball: pack with pnpm so it becomes a version range',
      'devDependencies.@rtmpkit/compliance is "link:../compliance" in the tarball: pack with pnpm so it becomes a version range',
      'ships dist/index.js.map, a source map (the sources are not shipped): exclude it in "files"',
      'ships dist/codec.test.js, a test file: exclude it in "files"',
      'ships dist/fixtures/capture.bin, a test fixture: exclude it in "files"',
      'ships src/index.ts: only dist/, bin/, README.md, CHANGELOG.md and LICENSE belong in the tarball',
      'has no README.md',
      'version 0.1.0 has no CHANGELOG.md: `pnpm changeset version` writes it',
      '"exports" names ./dist/index.d.ts, which is not in the tarball',
      'bin "rtmpkit" (./bin/rtmpkit.js) does not start with #!/usr/bin/env node',
    ]);
  });

  it('reads a gzip tar, long names included', () => {
    const longName = `dist/${'deep/'.repeat(25)}index.js`;
    const dir = tree({ 'package/package.json': JSON.stringify(manifest), 'package/README.md': '# x', [`package/${longName}`]: 'export {};' });
    for (const format of ['gnu', 'ustar', 'pax']) {
      const tarball = join(dir, `${format}.tgz`);
      execFileSync('tar', ['-czf', tarball, `--format=${format}`, '-C', dir, 'package']);
      const read = readTarball(tarball);
      expect(read.manifest.name).toBe('@rtmpkit/example');
      expect([...read.files.keys()].sort()).toEqual(['README.md', longName, 'package.json'].sort());
      expect(read.files.get(longName)?.toString()).toBe('export {};');
    }
  });
});

describe('programs and the environment they run in', () => {
  it('writes a ten-line transport program over the package scheme', () => {
    const source = transportProgram({ module: '@rtmpkit/rtmpt', factory: 'rtmpt', scheme: 'rtmpt' });
    expect(source.trim().split('\n')).toHaveLength(10);
    expect(source).toContain("import { rtmpt } from '@rtmpkit/rtmpt';");
    expect(source).toContain('`rtmpt://127.0.0.1:${listener.address.port}/live`');
    expect(THREE_VIDEO_MESSAGES).toHaveLength(3);
  });

  it('runs programs without the variables of vitest and pnpm, and without NODE_PATH', () => {
    const saved = { ...process.env };
    Object.assign(process.env, { NODE_PATH: '/work/node_modules', npm_package_name: 'x', PNPM_SCRIPT_SRC_DIR: '/w', VITEST: 'true', NODE_ENV: 'test' });
    try {
      const env = userEnv({ EXTRA: '1' });
      expect(env.NODE_PATH).toBeUndefined();
      expect(env.npm_package_name).toBeUndefined();
      expect(env.PNPM_SCRIPT_SRC_DIR).toBeUndefined();
      expect(env.VITEST).toBeUndefined();
      expect(env.NODE_ENV).toBeUndefined();
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.EXTRA).toBe('1');
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe('the TypeScript consumer check', () => {
  it('compiles every project in one run and gives each its own diagnostics', async () => {
    const root = tree({
      'good/package.json': '{ "type": "module" }',
      'bad/package.json': '{ "type": "module" }',
    });
    mkdirSync(join(root, 'good/node_modules/@types'), { recursive: true });
    symlinkSync(resolve(import.meta.dirname, '../node_modules/@types/node'), join(root, 'good/node_modules/@types/node'));
    const { diagnostics } = await typeCheckConsumers(root, [
      { folder: 'good', source: "import { connect } from 'node:net';\nexport const socket = (port: number) => connect(port);\n" },
      { folder: 'bad', source: "import { missing } from '@rtmpkit/not-installed';\nexport const count: number = 'three';\n" },
    ]);
    expect(diagnostics.get('good')).toEqual([]);
    expect(diagnostics.get('bad')).toEqual([
      expect.stringMatching(/^bad\/consumer\.ts\(1,25\): error TS2307: Cannot find module '@rtmpkit\/not-installed'/),
      expect.stringMatching(/^bad\/consumer\.ts\(2,14\): error TS2322: Type 'string' is not assignable to type 'number'/),
    ]);
  }, 60_000);
});
