// The public packages of the workspace, their internal dependencies, and packing them with pnpm
// (which rewrites `workspace:` ranges into the real ones, as `pnpm publish` does).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './processes.mjs';

/** The repository root (this file is tools/release/lib/workspace.mjs). */
export const repoRoot = resolve(import.meta.dirname, '../../..');

/** The pnpm every script of the repository uses (tools/ci/test.sh brings it through npx when missing). */
export const PNPM_VERSION = '12.4.2';

/**
 * Every public package: each folder of `<root>/packages` with a package.json that is not private.
 * @returns {{ name: string, folder: string, dir: string, manifest: Record<string, any> }[]}
 */
export function listPublicPackages(root = repoRoot) {
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return [];
  return readdirSync(packagesDir)
    .sort()
    .map((folder) => ({ folder, dir: join(packagesDir, folder) }))
    .filter(({ dir }) => statSync(dir).isDirectory() && existsSync(join(dir, 'package.json')))
    .map(({ folder, dir }) => ({ folder, dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ folder, dir, manifest }) => ({ name: manifest.name, folder, dir, manifest }));
}

/** The `@rtmpkit/*` names a manifest needs at run time (dependencies, peer and optional dependencies). */
export function internalDependencies(manifest) {
  const names = new Set();
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) if (name.startsWith('@rtmpkit/')) names.add(name);
  }
  return [...names].sort();
}

/**
 * A package and every internal package it needs, transitively: what a user gets from the registry
 * with `npm install <name>`, and so the tarballs to install together in a fresh project.
 * @param {string} name
 * @param {Map<string, Record<string, any>>} manifests name → manifest
 */
export function internalClosure(name, manifests) {
  const seen = new Set();
  const visit = (current) => {
    if (seen.has(current)) return;
    const manifest = manifests.get(current);
    if (!manifest) throw new Error(`${name} needs ${current}, which is not a public package of this workspace`);
    seen.add(current);
    for (const dependency of internalDependencies(manifest)) visit(dependency);
  };
  visit(name);
  return [...seen].sort();
}

let pnpmCommand;
/** `pnpm` when the right one is on PATH, else `npx -y pnpm@12.4.2` (what tools/ci/test.sh does). */
export function pnpm() {
  if (!pnpmCommand) {
    const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
    pnpmCommand = probe.status === 0 && probe.stdout.trim() === PNPM_VERSION ? ['pnpm'] : ['npx', '-y', `pnpm@${PNPM_VERSION}`];
  }
  return pnpmCommand;
}

/**
 * Packs one package folder with `pnpm pack` into `destination`; returns the tarball's path.
 * The package must be built: pack takes `dist` as it is.
 */
export async function packPackage(dir, destination) {
  mkdirSync(destination, { recursive: true });
  const [command, ...prefix] = pnpm();
  const { stdout } = await run(command, [...prefix, 'pack', '--pack-destination', destination, '--json'], { cwd: dir, timeoutMs: 120_000 });
  const parsed = JSON.parse(stdout.slice(stdout.indexOf('{')));
  const filename = resolve(destination, parsed.filename);
  if (!existsSync(filename)) throw new Error(`pnpm pack in ${dir} reported ${parsed.filename}, which does not exist`);
  return filename;
}

/** Whether a package folder has a built entry point (what its `exports["."].import` names). */
export function isBuilt(pkg) {
  const entry = pkg.manifest.exports?.['.']?.import ?? pkg.manifest.exports?.['.']?.default ?? pkg.manifest.main;
  return typeof entry === 'string' && existsSync(join(pkg.dir, entry));
}

/**
 * Packs the given packages (in parallel) into `destination`.
 * @returns {Promise<Map<string, string>>} package name → tarball path
 */
export async function packPackages(packages, destination) {
  const entries = await Promise.all(packages.map(async (pkg) => [pkg.name, await packPackage(pkg.dir, destination)]));
  return new Map(entries);
}

/**
 * The tarballs to install for `name` alone: its own and those of the internal packages it needs.
 * @param {string} name
 * @param {Map<string, Record<string, any>>} manifests
 * @param {Map<string, string>} tarballs
 */
export function tarballsFor(name, manifests, tarballs) {
  return internalClosure(name, manifests).map((needed) => {
    const tarball = tarballs.get(needed);
    if (!tarball) throw new Error(`${name} needs ${needed}, which was not packed (is it built?)`);
    return tarball;
  });
}
