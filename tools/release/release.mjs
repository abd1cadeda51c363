#!/usr/bin/env node
// The release commands of the repository (root package.json: `pnpm release:check`, `pnpm release:pack`).
//
//   check  the CI test command (tools/ci/test.sh: peers, frozen install, check-packages, build,
//          typecheck, lint, every test including the install-alone tests of tools/release); then
//          every public package is packed and checked: what the tarball holds, publint,
//          arethetypeswrong (esm-only profile) and a TypeScript NodeNext consumer compiled with tsc
//          against the package installed alone with npm.
//          --skip-tests: check-packages, build, typecheck and lint instead of the CI test command.
//   pack   builds the public packages and packs each with `pnpm pack` (workspace: ranges become
//          real ones) into dist-release/*.tgz.
//
// Publishing is `pnpm changeset publish` (see tools/release/README.md).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pendingReason, typesSourceFor } from './lib/consumers.mjs';
import { CONSUMER_TYPES_NODE, installFreshProject, typeCheckConsumers } from './lib/fresh-project.mjs';
import { attwTarball, publintTarball } from './lib/lint-tarball.mjs';
import { readTarball, tarballProblems } from './lib/tarball.mjs';
import { isBuilt, listPublicPackages, packPackages, pnpm, repoRoot, tarballsFor } from './lib/workspace.mjs';

const [command, ...flags] = process.argv.slice(2);
const commands = { check, pack };
if (!commands[command]) {
  console.error('usage: node tools/release/release.mjs <check [--skip-tests] | pack [--skip-build]>');
  process.exit(2);
}
process.exitCode = (await commands[command](new Set(flags))) ? 0 : 1;

/** Runs a step with inherited output; false when it failed. */
function step(title, commandLine) {
  console.log(`\n▶ ${title}: ${commandLine.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(commandLine[0], commandLine.slice(1), { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) console.error(`✗ ${title} failed (${seconds} s)`);
  else console.log(`✓ ${title} (${seconds} s)`);
  return result.status === 0;
}

function turbo(...args) {
  return [...pnpm(), 'exec', 'turbo', 'run', ...args];
}

async function check(flags) {
  const started = Date.now();
  if (flags.has('--skip-tests')) {
    if (!step('package rules', [process.execPath, 'tools/check-packages/check-packages.mjs', '.'])) return false;
    if (!step('build, typecheck, lint', turbo('build', 'typecheck', 'lint', '--output-logs=errors-only'))) return false;
  } else if (!step('the CI test command (package rules, build, typecheck, lint, every test)', ['bash', 'tools/ci/test.sh'])) {
    return false;
  }

  const packages = listPublicPackages(repoRoot);
  const unbuilt = packages.filter((pkg) => !isBuilt(pkg));
  if (unbuilt.length > 0) {
    console.error(`✗ not built: ${unbuilt.map((pkg) => pkg.name).join(', ')}`);
    return false;
  }
  const changesets = JSON.parse(readFileSync(join(repoRoot, '.changeset/config.json'), 'utf8'));
  if (changesets.access !== 'public') {
    console.error('✗ .changeset/config.json: "access" must be "public" (scoped packages are private on npm by default)');
    return false;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'rtmpkit-release-check-'));
  console.log(`\n▶ packed checks of ${packages.length} public packages (in ${workDir})`);
  try {
    const tarballs = await packPackages(packages, join(workDir, 'tarballs'));
    const manifests = new Map(packages.map((pkg) => [pkg.name, pkg.manifest]));
    const report = new Map(packages.map((pkg) => [pkg.name, { failures: [], notes: [] }]));

    await Promise.all(
      packages.map(async (pkg) => {
        const entry = report.get(pkg.name);
        const tarball = tarballs.get(pkg.name);
        const contents = readTarball(tarball);
        for (const problem of tarballProblems(contents)) entry.failures.push(`tarball: ${problem}`);
        if (![...contents.files.keys()].some((path) => /^LICEN[CS]E(\.md|\.txt)?$/i.test(path))) {
          entry.failures.push(`tarball: no LICENSE file, which "${contents.manifest.license}" requires: add LICENSE at the repository root (pnpm pack copies it into every package) or in the package`);
        }
        if (contents.manifest.version === '0.0.0') entry.notes.push('version 0.0.0: run `pnpm changeset version` before publishing');
        const lint = await publintTarball(tarball);
        for (const message of lint.messages) (lint.ok ? entry.notes : entry.failures).push(`publint ${message}`);
        const types = await attwTarball(tarball);
        for (const problem of types.problems) entry.failures.push(`attw: ${problem}`);
        if (!types.ok && types.problems.length === 0) entry.failures.push('attw: failed without naming a problem');
      }),
    );

    // The TypeScript consumer: each package installed alone (npm), one tsc run over all of them.
    const installed = [];
    await Promise.all(
      packages.map(async (pkg) => {
        try {
          await installFreshProject(join(workDir, pkg.folder), [...tarballsFor(pkg.name, manifests, tarballs), CONSUMER_TYPES_NODE]);
          const pending = await pendingReason(pkg);
          if (pending) report.get(pkg.name).notes.push(`types: namespace import only (${pending})`);
          installed.push({ folder: pkg.folder, source: typesSourceFor(pkg.name, pending) });
        } catch (error) {
          report.get(pkg.name).failures.push(`npm install alone: ${error.message}`);
        }
      }),
    );
    const { diagnostics } = await typeCheckConsumers(workDir, installed);
    for (const pkg of packages) {
      for (const line of diagnostics.get(pkg.folder) ?? []) report.get(pkg.name).failures.push(`tsc: ${line}`);
    }

    let ok = true;
    console.log('');
    for (const pkg of packages) {
      const { failures, notes } = report.get(pkg.name);
      const version = readTarball(tarballs.get(pkg.name)).manifest.version;
      console.log(`${failures.length === 0 ? '✓' : '✗'} ${pkg.name}@${version}: tarball, publint, attw (esm-only), tsc NodeNext consumer${failures.length ? '' : ': ok'}`);
      for (const failure of failures) console.log(`    ✗ ${failure}`);
      for (const note of notes) console.log(`    · ${note}`);
      ok &&= failures.length === 0;
    }
    const pendingChangesets = readdirSync(join(repoRoot, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
    if (pendingChangesets.length > 0) console.log(`\n· ${pendingChangesets.length} changeset(s) not yet versioned: \`pnpm changeset version\` turns them into versions and CHANGELOG.md files`);
    console.log(`\n${ok ? '✓ release check passed' : '✗ release check failed'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return ok;
  } finally {
    if (!process.env.RTMPKIT_KEEP_RELEASE_TMP) rmSync(workDir, { recursive: true, force: true });
  }
}

async function pack(flags) {
  if (!flags.has('--skip-build') && !step('build the public packages', turbo('build', '--filter=./packages/*', '--output-logs=errors-only'))) return false;
  const packages = listPublicPackages(repoRoot);
  const unbuilt = packages.filter((pkg) => !isBuilt(pkg));
  if (unbuilt.length > 0) {
    console.error(`✗ not built: ${unbuilt.map((pkg) => pkg.name).join(', ')}`);
    return false;
  }
  const destination = join(repoRoot, 'dist-release');
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  writeFileSync(join(destination, '.gitignore'), '# made by pnpm release:pack\n*\n');
  const tarballs = await packPackages(packages, destination);
  let ok = true;
  for (const pkg of packages) {
    const tarball = tarballs.get(pkg.name);
    const problems = tarballProblems(readTarball(tarball));
    console.log(`${problems.length === 0 ? '✓' : '✗'} ${relative(repoRoot, tarball)}`);
    for (const problem of problems) console.log(`    ✗ ${problem}`);
    ok &&= problems.length === 0;
  }
  return ok;
}
