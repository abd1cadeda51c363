#!/usr/bin/env node
// Every published package must look the same to a user: a README, an ESM `exports` map with
// types, tests, and the shared tsconfig. This lists what is missing, package by package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Returns `[{ package, problem }]` for every package folder under `<root>/packages`. */
export function checkPackages(root) {
  const packagesDir = join(root, 'packages');
  const problems = [];
  for (const name of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, name);
    if (!statSync(dir).isDirectory()) continue;
    for (const problem of checkPackage(dir)) problems.push({ package: `packages/${name}`, problem });
  }
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
