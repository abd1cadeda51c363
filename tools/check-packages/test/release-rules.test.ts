import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkDependencyGraph, checkPackages, checkRelease, importedSpecifiers, packageNameOf, readWorkspace } from '../check-packages.mjs';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function makeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-release-rules-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const publishedManifest = {
  name: '@rtmpkit/example',
  version: '0.0.0',
  license: 'MIT',
  type: 'module',
  engines: { node: '>=20.19' },
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
  files: ['dist', '!dist/**/*.map', 'README.md', 'CHANGELOG.md'],
  scripts: { build: 'tsc', typecheck: 'tsc', lint: 'x', test: 'vitest run' },
  dependencies: { '@rtmpkit/core': 'workspace:^' },
  devDependencies: { '@rtmpkit/compliance': 'workspace:*', '@rtmpkit/test-peers': 'workspace:*', vitest: '4.1.12' },
};

const workspace = {
  packages: [],
  publicNames: new Set(['@rtmpkit/core', '@rtmpkit/compliance', '@rtmpkit/server', '@rtmpkit/example']),
  privateNames: new Set(['@rtmpkit/test-peers']),
};

function releaseProblems(manifest: object, sources: Record<string, string> = { 'src/index.ts': "import { encodeCommand } from '@rtmpkit/core';\nimport { connect } from 'node:net';\n" }) {
  const dir = makeTree({ 'package.json': JSON.stringify(manifest), ...sources });
  return checkRelease(dir, workspace);
}

describe('release rules (checkRelease)', () => {
  it('accepts a package that ships dist, README and CHANGELOG and declares what src imports', () => {
    expect(releaseProblems(publishedManifest)).toEqual([]);
  });

  it('wants internal dependencies as workspace:^, never the server, the test suites or a private tool', () => {
    const problems = releaseProblems(
      {
        ...publishedManifest,
        dependencies: { '@rtmpkit/core': 'workspace:*', '@rtmpkit/server': 'workspace:^', '@rtmpkit/compliance': '^0.1.0', '@rtmpkit/test-peers': 'workspace:^', '@rtmpkit/nope': 'workspace:^' },
      },
      {
        'src/index.ts': [
          "import '@rtmpkit/core';",
          "import '@rtmpkit/server';",
          "import '@rtmpkit/compliance';",
          "import '@rtmpkit/test-peers';",
          "import '@rtmpkit/nope';",
        ].join('\n'),
      },
    );
    expect(problems).toEqual([
      'dependencies.@rtmpkit/core is "workspace:*": use "workspace:^" (publishing turns it into ^<version>)',
      'dependencies has @rtmpkit/server: nothing depends on the server (it depends on the transports)',
      'dependencies.@rtmpkit/compliance is "^0.1.0": use "workspace:^" (publishing turns it into ^<version>)',
      'dependencies has @rtmpkit/compliance: the test suites are a devDependency',
      'dependencies has @rtmpkit/test-peers, a private workspace package that is never published: make it a devDependency',
      'dependencies has @rtmpkit/nope, which is not a package of this workspace',
    ]);
  });

  it('matches dependencies to what src/ imports: nothing missing, nothing unused, vitest as a peer', () => {
    const problems = releaseProblems(
      { ...publishedManifest, dependencies: { '@rtmpkit/core': 'workspace:^', pino: '^10.0.0', vitest: '^4.1.0' } },
      {
        'src/index.ts': "import { encodeCommand } from '@rtmpkit/core';\nimport { describe } from 'vitest';\n",
        'src/lazy.ts': "export const load = () => import('@rtmpkit/compliance');\nconst forge = createRequire(import.meta.url)('node-forge');\n",
        'src/doc.ts': "/** import { rtmp } from '@rtmpkit/rtmp' */\n// import x from 'commented'\nexport const text = `from 'not-an-import'`;\n",
      },
    );
    expect(problems).toEqual([
      'src/lazy.ts imports @rtmpkit/compliance, which is not in "dependencies" or "peerDependencies" (it is only a devDependency, which users do not get)',
      'src/lazy.ts imports node-forge, which is not in "dependencies" or "peerDependencies"',
      'dependencies has pino, which nothing in src/ imports: remove it or make it a devDependency',
      'vitest must be a peerDependency (the user brings the test runner), not a dependency',
    ]);
  });

  it('accepts vitest as a peer dependency (as @rtmpkit/compliance has it)', () => {
    const problems = releaseProblems(
      { ...publishedManifest, peerDependencies: { vitest: '^4.1.0' } },
      { 'src/index.ts': "import { describe } from 'vitest';\nimport type { Session } from '@rtmpkit/core';\n" },
    );
    expect(problems).toEqual([]);
  });

  it('ships only dist, bin, README, CHANGELOG and LICENSE, without maps or tests', () => {
    const problems = releaseProblems(
      {
        ...publishedManifest,
        license: undefined,
        files: ['dist', 'src', 'test/fixtures', 'README.md'],
        exports: { '.': { types: './lib/index.d.ts', import: './dist/index.js' } },
        bin: { example: './cli/example.js' },
      },
      {
        'src/index.ts': "import '@rtmpkit/core';\n",
        'src/index.test.ts': '',
        'src/fixtures/capture.ts': '',
      },
    );
    expect(problems).toEqual([
      '"license" is missing',
      '"files" lists "src": ship only dist, bin, README.md, CHANGELOG.md and LICENSE (no sources, tests or fixtures)',
      '"files" lists "test/fixtures": ship only dist, bin, README.md, CHANGELOG.md and LICENSE (no sources, tests or fixtures)',
      '"files" must list "CHANGELOG.md"',
      '"exports" names ./lib/index.d.ts, which "files" does not ship',
      '"bin" names cli/example.js, which "files" does not ship',
      'src/fixtures/capture.ts is a test or fixture under src/: it would be built into dist; move it to test/',
      'src/index.test.ts is a test or fixture under src/: it would be built into dist; move it to test/',
    ]);
  });

  it('wants the source maps left out when the sources do not ship, and publishConfig.access public if set', () => {
    const problems = releaseProblems({ ...publishedManifest, files: ['dist', 'README.md', 'CHANGELOG.md'], publishConfig: { access: 'restricted' } });
    expect(problems).toEqual(['"publishConfig.access" must be "public"', '"files" must exclude "!dist/**/*.map": the maps point at src/, which is not shipped']);
  });

  it('accepts a bin folder and its target', () => {
    const problems = releaseProblems({ ...publishedManifest, bin: { rtmpkit: './bin/rtmpkit.js' }, files: [...publishedManifest.files, 'bin'] });
    expect(problems).toEqual([]);
  });
});

describe('dependency graph', () => {
  it('reports a cycle between packages', () => {
    const root = makeTree({
      'packages/a/package.json': JSON.stringify({ name: '@rtmpkit/a', dependencies: { '@rtmpkit/b': 'workspace:^' } }),
      'packages/b/package.json': JSON.stringify({ name: '@rtmpkit/b', peerDependencies: { '@rtmpkit/a': 'workspace:^' } }),
      'packages/c/package.json': JSON.stringify({ name: '@rtmpkit/c', dependencies: { '@rtmpkit/a': 'workspace:^' } }),
      'tools/t/package.json': JSON.stringify({ name: '@rtmpkit/t', private: true }),
    });
    const read = readWorkspace(root);
    expect([...read.publicNames]).toEqual(['@rtmpkit/a', '@rtmpkit/b', '@rtmpkit/c']);
    expect([...read.privateNames]).toEqual(['@rtmpkit/t']);
    expect(checkDependencyGraph(read)).toEqual([{ folder: 'a', problem: 'dependency cycle: @rtmpkit/a → @rtmpkit/b → @rtmpkit/a' }]);
  });

  it('runs the release rules from checkPackages, package by package', () => {
    const root = makeTree({
      'packages/a/package.json': JSON.stringify({ ...publishedManifest, name: '@rtmpkit/a', dependencies: { '@rtmpkit/t': 'workspace:*' } }),
      'packages/a/README.md': '# a\n```ts\na()\n```\n',
      'packages/a/test/a.test.ts': '',
      'packages/a/tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
      'packages/a/src/index.ts': "import '@rtmpkit/t';\n",
      'tools/t/package.json': JSON.stringify({ name: '@rtmpkit/t', private: true }),
    });
    expect(checkPackages(root)).toEqual([
      { package: 'packages/a', problem: 'dependencies.@rtmpkit/t is "workspace:*": use "workspace:^" (publishing turns it into ^<version>)' },
      { package: 'packages/a', problem: 'dependencies has @rtmpkit/t, a private workspace package that is never published: make it a devDependency' },
    ]);
  });
});

describe('imports seen in sources', () => {
  it('finds static, type, dynamic and require imports, and not comments or text', () => {
    const source = [
      "import { a } from '@rtmpkit/core';",
      'import type {',
      '  B,',
      "} from 'pino';",
      "export * from './local.js';",
      "export { x } from '@rtmpkit/rtmp/sub';",
      "import 'side-effect';",
      "const forge = createRequire(import.meta.url)('node-forge') as typeof import('node-forge');",
      "const bundle = createRequire(import.meta.url).resolve('mpegts.js/dist/mpegts.js');",
      "await import('lazy');",
      "Promise.resolve('timeout');",
      "const url = 'rtmp://host/app'; // import { z } from 'commented';",
      "/* from 'block' */",
      "const message = `import { x } from 'template'`;",
      'const text = "from \'spaced string\'";',
      "import { connect } from 'node:net';",
    ].join('\n');
    const names = importedSpecifiers(source).map(packageNameOf).filter(Boolean).sort();
    expect(names).toEqual(['@rtmpkit/core', '@rtmpkit/rtmp', 'lazy', 'mpegts.js', 'node-forge', 'pino', 'side-effect']);
  });

  it('names the package of a specifier, and none for relative and built-in modules', () => {
    expect(['@a/b/c.js', 'x/y', 'fs', 'node:fs', 'fs/promises', './a.js', '#internal'].map(packageNameOf)).toEqual(['@a/b', 'x', null, null, null, null, null]);
  });
});
