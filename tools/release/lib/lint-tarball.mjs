// publint and arethetypeswrong on a packed tarball, offline.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { run, userEnv } from './processes.mjs';

/**
 * publint on the tarball, with every message (suggestions too) reported and warnings counted as
 * errors. Resolves with `{ ok, messages }`, each message as one sentence.
 */
export async function publintTarball(tarballPath) {
  const bytes = readFileSync(tarballPath);
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
  return {
    ok: !messages.some((message) => message.type !== 'suggestion'),
    messages: messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`),
  };
}

const requireHere = createRequire(import.meta.url);

function attwBin() {
  const manifestPath = requireHere.resolve('@arethetypeswrong/cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin.attw);
}

/** The resolutions an ESM-only package is not meant for (require() from CJS, pre-exports node10). */
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

/**
 * arethetypeswrong with the `esm-only` profile (node16 from ESM and bundler resolution must find
 * the right types; CJS `require` and node10 are out of scope for an ESM-only package), reading the
 * tarball alone (`--no-definitely-typed`: nothing fetched). Resolves with `{ ok, problems }`.
 */
export async function attwTarball(tarballPath) {
  const result = await run(
    process.execPath,
    [attwBin(), tarballPath, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json', '--no-color'],
    { timeoutMs: 120_000, allowFailure: true, env: userEnv({ FORCE_COLOR: '0' }) },
  );
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    return { ok: false, problems: [`attw printed no JSON (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 2000)}`] };
  }
  const problems = Object.values(report.problems ?? report.analysis?.problems ?? {})
    .flat()
    .filter((problem) => !IGNORED_RESOLUTIONS.has(problem.resolutionKind))
    .map((problem) => `${problem.kind}${problem.entrypoint ? ` at "${problem.entrypoint}"` : ''}${problem.resolutionKind ? ` (${problem.resolutionKind})` : ''}`);
  return { ok: result.code === 0 && problems.length === 0, problems };
}
