// A fresh project outside the workspace, as a user has it: our packages installed from their packed
// tarballs, everything else from the registry with npm.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { run, userEnv } from './processes.mjs';

/** The @types/node a consumer of ours has (our engines say Node 20.19+). */
export const CONSUMER_TYPES_NODE = '@types/node@^20.19.0';

const NPM_INSTALL_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-update-notifier'];

/**
 * Makes `dir` a new ESM project and runs `npm install` with the given specs (tarball paths,
 * registry specs). Resolves with npm's duration.
 * @param {string} dir
 * @param {string[]} specs
 */
export async function installFreshProject(dir, specs, { timeoutMs = 300_000 } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'rtmpkit-consumer', private: true, type: 'module' }, null, 2)}\n`);
  const { durationMs } = await run('npm', ['install', ...NPM_INSTALL_FLAGS, ...specs], { cwd: dir, timeoutMs });
  return { dir, durationMs };
}

/**
 * Writes `source` as `file` in the project and runs it with node. Resolves with the output and its
 * last non-empty line of stdout.
 * @param {string} dir
 * @param {string} file
 * @param {string} source
 * @param {{ args?: string[], timeoutMs?: number }} [options]
 */
export async function runProgram(dir, file, source, { args = [], timeoutMs = 60_000 } = {}) {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source);
  const result = await run(process.execPath, [path, ...args], { cwd: dir, timeoutMs });
  return { ...result, lastLine: lastLine(result.stdout) };
}

export function lastLine(text) {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}

const requireHere = createRequire(import.meta.url);

/** The tsc of this workspace (TypeScript 5.9): the version is the compiler's, the resolution the project's. */
export function tscPath() {
  return requireHere.resolve('typescript/bin/tsc');
}

const CONSUMER_COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
  noEmit: true,
  types: ['node'],
};

/**
 * Compiles one `consumer.ts` in each project folder under `root` in a single tsc run (so
 * @types/node is checked once): NodeNext, strict, and `skipLibCheck: false` so our `.d.ts` files
 * are checked too, as a consumer's compiler reads them. Each file resolves our packages from its
 * own project's node_modules; every project must have @types/node installed.
 * @param {string} root
 * @param {{ folder: string, source: string }[]} consumers
 * @returns {Promise<{ diagnostics: Map<string, string[]>, code: number, durationMs: number }>} diagnostics by folder
 */
export async function typeCheckConsumers(root, consumers, { timeoutMs = 240_000 } = {}) {
  const diagnostics = new Map(consumers.map(({ folder }) => [folder, []]));
  if (consumers.length === 0) return { diagnostics, code: 0, durationMs: 0 };
  for (const { folder, source } of consumers) writeFileSync(join(root, folder, 'consumer.ts'), source);
  const tsconfig = {
    compilerOptions: { ...CONSUMER_COMPILER_OPTIONS, typeRoots: [`./${consumers[0].folder}/node_modules/@types`] },
    files: consumers.map(({ folder }) => `./${folder}/consumer.ts`),
  };
  writeFileSync(join(root, 'tsconfig.consumers.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const result = await run(process.execPath, [tscPath(), '-p', 'tsconfig.consumers.json', '--pretty', 'false'], { cwd: root, timeoutMs, allowFailure: true });
  // "<folder>/<path>(line,col): error TS…" belongs to <folder>; continuation lines to the one before.
  let current;
  for (const line of result.stdout.split('\n')) {
    if (!line.trim()) continue;
    const folder = /^([^/(]+)\//.exec(line)?.[1];
    if (folder && diagnostics.has(folder)) current = folder;
    else if (!/^\s/.test(line)) current = undefined;
    for (const target of current ? [current] : diagnostics.keys()) diagnostics.get(target).push(line);
  }
  if (result.code !== 0 && [...diagnostics.values()].every((lines) => lines.length === 0)) {
    for (const lines of diagnostics.values()) lines.push(`tsc exited with ${result.code}: ${result.stderr.trim()}`);
  }
  return { diagnostics, code: result.code, durationMs: result.durationMs };
}
