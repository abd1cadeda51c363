#!/usr/bin/env node
// Every published package must look the same to a user: a README, an ESM `exports` map with
// types, tests, and the shared tsconfig; and publish what it needs, no more: its files, license and
// dependencies (see README.md). This lists what is missing, package by package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Returns `[{ package, problem }]` for every package folder under `<root>/packages`: the shape of
 * each (`checkPackage`), what each publishes (`checkRelease`), and the dependency graph between them.
 */
export function checkPackages(root) {
  const packagesDir = join(root, 'packages');
  const problems = [];
  const folders = readdirSync(packagesDir)
    .sort()
    .filter((name) => statSync(join(packagesDir, name)).isDirectory());
  for (const name of folders) {
    for (const problem of checkPackage(join(packagesDir, name))) problems.push({ package: `packages/${name}`, problem });
  }
  const workspace = readWorkspace(root);
  for (const name of folders) {
    for (const problem of checkRelease(join(packagesDir, name), workspace)) problems.push({ package: `packages/${name}`, problem });
  }
  for (const { folder, problem } of checkDependencyGraph(workspace)) problems.push({ package: `packages/${folder}`, problem });
  return problems;
}

/** The problems of one package folder, as sentences that say what to add. */
export function checkPackage(dir) {
  const problems = [];
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return ['has no package.json'];
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    return [`package.json is not valid JSON (${error.message})`];
  }

  if (!/^@rtmpkit\/[a-z0-9-]+$/.test(manifest.name ?? '')) problems.push('name must be @rtmpkit/<name>');
  if (manifest.type !== 'module') problems.push('"type" must be "module"');
  if (!manifest.engines?.node) problems.push('"engines.node" is missing');
  if (!manifest.version) problems.push('"version" is missing');

  const root = manifest.exports?.['.'];
  if (!root || typeof root !== 'object') {
    problems.push('"exports" has no "." entry with conditions');
  } else {
    if (!root.types) problems.push('"exports"."." has no "types" condition');
    if (!root.import && !root.default) problems.push('"exports"."." has no "import" condition');
    if (root.types && Object.keys(root)[0] !== 'types') problems.push('"types" must be the first condition in "exports"."."');
  }
  if (!Array.isArray(manifest.files) || !manifest.files.includes('dist')) problems.push('"files" must list "dist"');
  for (const script of ['build', 'typecheck', 'lint', 'test']) {
    if (!manifest.scripts?.[script]) problems.push(`script "${script}" is missing`);
  }

  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) problems.push('has no README.md');
  else if (!/```(ts|js|typescript|javascript)/.test(readFileSync(readme, 'utf8'))) problems.push('README.md has no code example');

  const testDir = join(dir, 'test');
  if (!existsSync(testDir) || !listFiles(testDir).some((file) => /\.test\.[cm]?[tj]s$/.test(file))) {
    problems.push('has no tests (test/**/*.test.ts)');
  }

  const tsconfigPath = join(dir, 'tsconfig.json');
  if (!existsSync(tsconfigPath)) problems.push('has no tsconfig.json');
  else if (!readFileSync(tsconfigPath, 'utf8').includes('"../../tsconfig.base.json"')) {
    problems.push('tsconfig.json does not extend ../../tsconfig.base.json');
  }
  if (!existsSync(join(dir, 'src', 'index.ts'))) problems.push('has no src/index.ts');
  return problems;
}

/**
 * The names of the workspace's packages: public ones (packages/*) with their manifests, and private
 * ones (tools/*), which a published package cannot depend on.
 */
export function readWorkspace(root) {
  const read = (group) => {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) return [];
    return readdirSync(groupDir)
      .sort()
      .map((folder) => ({ folder, path: join(groupDir, folder, 'package.json') }))
      .filter(({ path }) => existsSync(path))
      .flatMap(({ folder, path }) => {
        try {
          return [{ folder, manifest: JSON.parse(readFileSync(path, 'utf8')) }];
        } catch {
          return [];
        }
      });
  };
  const packages = read('packages').filter(({ manifest }) => manifest.private !== true);
  const privateNames = [...read('packages'), ...read('tools')].filter(({ manifest }) => manifest.private === true).map(({ manifest }) => manifest.name);
  return { packages, publicNames: new Set(packages.map(({ manifest }) => manifest.name)), privateNames: new Set(privateNames) };
}

const RUNTIME_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const INTERNAL = /^@rtmpkit\//;
const SHIPPED_FILES = /^(README\.md|CHANGELOG\.md|LICEN[CS]E(\.md|\.txt)?)$/i;

/**
 * What a published package must get right, as sentences that say what to change: the files it
 * ships, its license, and dependencies that match what `src/` imports (internal ones as
 * `workspace:^`, so `changeset version` and `pnpm publish` turn them into `^x.y.z`). `workspace`
 * (from `readWorkspace`) adds the rules that need the other packages' names.
 */
export function checkRelease(dir, workspace) {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return [];
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return [];
  }
  const problems = [];
  if (manifest.private === true) problems.push('packages/ holds public packages: remove "private": true or move it to tools/');
  if (typeof manifest.license !== 'string' || manifest.license.trim() === '') problems.push('"license" is missing');
  if (manifest.publishConfig?.access !== undefined && manifest.publishConfig.access !== 'public') problems.push('"publishConfig.access" must be "public"');

  // What ships: dist (without maps, since src/ does not ship), bin, README, CHANGELOG, LICENSE.
  const files = Array.isArray(manifest.files) ? manifest.files : [];
  const binTargets = Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {})).map((target) => String(target).replace(/^\.\//, ''));
  for (const entry of files) {
    const path = String(entry).replace(/^\.\//, '');
    if (path.startsWith('!')) continue;
    if (SHIPPED_FILES.test(path) || path === 'dist' || path.startsWith('dist/') || path === 'bin' || path.startsWith('bin/') || binTargets.includes(path)) continue;
    problems.push(`"files" lists "${entry}": ship only dist, bin, README.md, CHANGELOG.md and LICENSE (no sources, tests or fixtures)`);
  }
  for (const needed of ['README.md', 'CHANGELOG.md']) {
    if (files.length > 0 && !files.includes(needed)) problems.push(`"files" must list "${needed}"`);
  }
  if (files.includes('dist') && !files.includes('src') && !files.some((entry) => /^!dist\/\*\*\/\*\.map$/.test(entry))) {
    problems.push('"files" must exclude "!dist/**/*.map": the maps point at src/, which is not shipped');
  }
  const shipped = (target) => {
    const path = String(target).replace(/^\.\//, '');
    if (path === 'package.json') return true; // always packed
    return files.some((entry) => !String(entry).startsWith('!') && (path === entry || path.startsWith(`${String(entry).replace(/\/$/, '')}/`)));
  };
  for (const target of exportTargets(manifest.exports)) {
    if (files.length > 0 && !shipped(target)) problems.push(`"exports" names ${target}, which "files" does not ship`);
  }
  for (const target of binTargets) {
    if (files.length > 0 && !shipped(target)) problems.push(`"bin" names ${target}, which "files" does not ship`);
  }
  const srcDir = join(dir, 'src');
  const sources = existsSync(srcDir) ? listFiles(srcDir).filter((file) => /\.[cm]?[jt]sx?$/.test(file) && !file.endsWith('.d.ts')) : [];
  for (const file of sources) {
    const relativePath = file.slice(dir.length + 1);
    if (/\.(test|spec)\.[cm]?[jt]sx?$|[\\/](__tests__|fixtures?)[\\/]/.test(relativePath)) {
      problems.push(`${relativePath} is a test or fixture under src/: it would be built into dist; move it to test/`);
    }
  }

  // Dependencies: internal ones as workspace:^, and what src/ imports, no more and no less.
  for (const field of RUNTIME_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (!INTERNAL.test(name)) continue;
      if (!/^workspace:[\^~]$/.test(String(range))) {
        problems.push(`${field}.${name} is "${range}": use "workspace:^" (publishing turns it into ^<version>)`);
      }
      if (name === '@rtmpkit/server') problems.push(`${field} has @rtmpkit/server: nothing depends on the server (it depends on the transports)`);
      if (name === '@rtmpkit/compliance') problems.push(`${field} has @rtmpkit/compliance: the test suites are a devDependency`);
      if (workspace?.privateNames.has(name)) problems.push(`${field} has ${name}, a private workspace package that is never published: make it a devDependency`);
      else if (workspace && !workspace.publicNames.has(name) && name !== manifest.name) problems.push(`${field} has ${name}, which is not a package of this workspace`);
    }
  }
  const declared = new Set(RUNTIME_FIELDS.flatMap((field) => Object.keys(manifest[field] ?? {})));
  const imported = new Map();
  for (const file of sources) {
    for (const specifier of importedSpecifiers(readFileSync(file, 'utf8'))) {
      const name = packageNameOf(specifier);
      if (name && name !== manifest.name && !imported.has(name)) imported.set(name, file.slice(dir.length + 1));
    }
  }
  for (const [name, file] of imported) {
    if (!declared.has(name)) {
      const where = manifest.devDependencies?.[name] ? ' (it is only a devDependency, which users do not get)' : '';
      problems.push(`${file} imports ${name}, which is not in "dependencies" or "peerDependencies"${where}`);
    }
  }
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (!imported.has(name)) problems.push(`dependencies has ${name}, which nothing in src/ imports: remove it or make it a devDependency`);
  }
  if (imported.has('vitest') && manifest.dependencies?.vitest) problems.push('vitest must be a peerDependency (the user brings the test runner), not a dependency');
  return problems;
}

/** The internal dependency graph must have no cycles (publishing and versioning go in its order). */
export function checkDependencyGraph(workspace) {
  const byName = new Map(workspace.packages.map((entry) => [entry.manifest.name, entry]));
  const edges = (name) =>
    RUNTIME_FIELDS.flatMap((field) => Object.keys(byName.get(name)?.manifest[field] ?? {})).filter((dependency) => byName.has(dependency) && dependency !== name);
  const problems = [];
  const state = new Map();
  const visit = (name, path) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'active') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      problems.push({ folder: byName.get(name).folder, problem: `dependency cycle: ${cycle.join(' → ')}` });
      return;
    }
    state.set(name, 'active');
    for (const dependency of edges(name)) visit(dependency, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) visit(name, []);
  return problems;
}

/** Every file path an `exports` value names (conditions and subpaths; patterns left out). */
function exportTargets(value) {
  if (typeof value === 'string') return value.includes('*') ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(exportTargets);
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative and built-in ones. */
export function packageNameOf(specifier) {
  if (/^(\.|\/|node:|data:|file:|#)/.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) || BUILTINS.has(specifier) ? null : name;
}

/**
 * The module specifiers a TypeScript/JavaScript source names: static and type imports, re-exports,
 * `import()`, `require()`, `createRequire(...)(...)`, `require.resolve()` and `import.meta.resolve()`.
 * Comments are ignored (examples in doc comments are not imports).
 */
export function importedSpecifiers(source) {
  const code = stripComments(source);
  const specifiers = new Set();
  const patterns = [
    /\bfrom\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
    /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
    /\bcreateRequire\s*\([^)]*\)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
    /\b(?:require|import\.meta|createRequire\s*\([^)]*\))\.resolve\s*\(\s*(['"])([^'"\n]+)\1/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) specifiers.add(match[2]);
  return [...specifiers].filter((specifier) => /^[@\w.#/:-]/.test(specifier) && !/\s/.test(specifier));
}

/** The source with comments and literals that cannot be specifiers blanked out. */
function stripComments(source) {
  let out = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    const next = source[index + 1];
    if (char === '/' && next === '/') {
      while (index < source.length && source[index] !== '\n') index++;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end === -1 ? source.length : end + 2;
      out += ' ';
    } else if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < source.length && source[end] !== char) end += source[end] === '\\' ? 2 : 1;
      // A specifier has no white space and is never a template: blank other literals, whose text
      // (generated code, messages) may read like an import.
      const literal = source.slice(index, end + 1);
      out += char === '`' || /\s/.test(literal) ? `${char}${' '.repeat(Math.max(0, literal.length - 2))}${char}` : literal;
      index = end + 1;
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? '.');
  const problems = checkPackages(root);
  for (const { package: pkg, problem } of problems) console.error(`${pkg}: ${problem}`);
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s): every package needs the shape described in tools/check-packages/README.md`);
    process.exit(1);
  }
  console.log('packages: all consistent');
}
