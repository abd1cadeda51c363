// Each public package, packed as `pnpm publish` would pack it and installed alone in a fresh project
// outside the workspace (our tarballs, everything else from the registry with npm), does what its
// README says: the transports publish and play, the types compile for a NodeNext consumer.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, EXPECTED_PACKAGES, importProgram, pendingReason, typesSourceFor } from '../lib/consumers.mjs';
import { CONSUMER_TYPES_NODE, installFreshProject, lastLine, runProgram, typeCheckConsumers } from '../lib/fresh-project.mjs';
import { publintTarball } from '../lib/lint-tarball.mjs';
import { portIsFree, run, start, waitForPort } from '../lib/processes.mjs';
import { readTarball, tarballProblems } from '../lib/tarball.mjs';
import { isBuilt, listPublicPackages, packPackages, repoRoot, tarballsFor } from '../lib/workspace.mjs';

const inCI = process.env.CI === 'true';
const workspacePackages = listPublicPackages(repoRoot);
const byName = new Map(workspacePackages.map((pkg) => [pkg.name, pkg]));
const manifests = new Map(workspacePackages.map((pkg) => [pkg.name, pkg.manifest]));
const names = [...new Set([...EXPECTED_PACKAGES, ...workspacePackages.map((pkg) => pkg.name)])];
const built = workspacePackages.filter((pkg) => isBuilt(pkg));

// One folder per run in the OS temp dir: the tarballs, and one consumer project per package.
const runDir = mkdtempSync(join(tmpdir(), 'rtmpkit-release-'));
const tarballs = new Map<string, string>();
const installs = new Map<string, Promise<string>>();

/** Installs start together once the tarballs exist (npm mostly waits on the network and disk). */
function installFor(name: string): Promise<string> {
  let install = installs.get(name);
  if (!install) {
    const folder = byName.get(name)!.folder;
    install = Promise.resolve()
      .then(() => installFreshProject(join(runDir, folder), [...tarballsFor(name, manifests, tarballs), CONSUMER_TYPES_NODE]))
      .then(({ dir }) => dir);
    install.catch(() => {}); // reported by the package's install test
    installs.set(name, install);
  }
  return install;
}

const pendingReasons = new Map<string, string | null>();
let typesRun: ReturnType<typeof typeCheckConsumers> | undefined;

/** One tsc run over the consumer file of every project that installed (started on first use). */
function typeCheckAll(): ReturnType<typeof typeCheckConsumers> {
  typesRun ??= (async () => {
    const installed = await Promise.all(built.map(async (pkg) => ((await installFor(pkg.name).then(() => true, () => false)) ? pkg : undefined)));
    const consumers = installed
      .filter((pkg) => pkg !== undefined)
      .map((pkg) => ({ folder: pkg.folder, source: typesSourceFor(pkg.name, pendingReasons.get(pkg.name) ?? null) }));
    return typeCheckConsumers(runDir, consumers);
  })();
  return typesRun;
}

beforeAll(async () => {
  for (const [name, tarball] of await packPackages(built, join(runDir, 'tarballs'))) tarballs.set(name, tarball);
  for (const pkg of built) installFor(pkg.name);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(installs.values());
  if (!process.env.RTMPKIT_KEEP_RELEASE_TMP) rmSync(runDir, { recursive: true, force: true });
});

for (const name of names) {
  const pkg = byName.get(name);
  const folder = name.replace('@rtmpkit/', '');

  if (!pkg) {
    const reason = `packages/${folder} does not exist yet`;
    console.warn(`release install tests: skipping ${name}: ${reason}`);
    describe(name, () => it.skip(`installs alone (skipped: ${reason})`, () => {}));
    continue;
  }
  if (!isBuilt(pkg)) {
    const reason = `packages/${folder} exists but is not built (run pnpm build)`;
    describe(name, () => {
      if (inCI) it('is built before its install test', () => expect.fail(reason));
      else it.skip(`installs alone (skipped: ${reason})`, () => {});
    });
    continue;
  }

  const consumer = CONSUMERS[name as keyof typeof CONSUMERS] as (typeof CONSUMERS)[keyof typeof CONSUMERS] | undefined;
  const pending = await pendingReason(pkg);
  pendingReasons.set(name, pending);
  if (pending) console.warn(`release install tests: ${name}: running the install and import checks only: ${pending}`);

  describe(name, () => {
    it('packs into a tarball with only what users need, which passes publint', async () => {
      const tarball = readTarball(tarballs.get(name)!);
      expect(tarballProblems(tarball)).toEqual([]);
      const lint = await publintTarball(tarballs.get(name)!);
      expect(lint.messages).toEqual([]);
    });

    it('installs alone in a fresh project (npm) and imports', async () => {
      const project = await installFor(name);
      const check = importProgram(name);
      const result = await runProgram(project, check.file, check.source);
      expect(result.lastLine).toBe(check.lastLine);
    }, 300_000);

    it('compiles a use of its main exports in a TypeScript NodeNext project (tsc, skipLibCheck false)', async () => {
      await installFor(name);
      const { diagnostics } = await typeCheckAll();
      expect(diagnostics.get(pkg.folder)).toEqual([]);
    }, 300_000);

    for (const program of consumer?.programs ?? []) {
      it.skipIf(pending)(`runs ${program.file}${pending ? ` (skipped: ${pending})` : ''}`, async () => {
        const project = await installFor(name);
        const result = await runProgram(project, program.file, program.source, { timeoutMs: 60_000 });
        expect(result.lastLine).toBe(program.lastLine);
      }, 300_000);
    }

    if (consumer && 'vitest' in consumer) {
      const suite = consumer.vitest;
      it(`runs its suite with the vitest npm installed as its peer (${suite.file})`, async () => {
        const project = await installFor(name);
        mkdirSync(dirname(join(project, suite.file)), { recursive: true });
        writeFileSync(join(project, suite.file), suite.source);
        const result = await run(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', '--outputFile=vitest-result.json', suite.file], {
          cwd: project,
          timeoutMs: 120_000,
        });
        const report = JSON.parse(readFileSync(join(project, 'vitest-result.json'), 'utf8'));
        expect(report.numFailedTests).toBe(0);
        expect(report.numPassedTests).toBeGreaterThanOrEqual(suite.minPassed);
        expect(result.code).toBe(0);
      }, 300_000);
    }

    if (consumer && 'serve' in consumer) {
      const serve = consumer.serve;
      it.skipIf(pending)(`npx ${serve.args.filter((arg) => arg !== '--no').join(' ')} serves a player and its HTTP page${pending ? ` (skipped: ${pending})` : ''}`, async () => {
        const project = await installFor(name);
        for (const port of [serve.port, serve.http.port]) expect(await portIsFree(port), `port ${port} must be free for the server's default`).toBe(true);
        const server = start('npx', serve.args, { cwd: project });
        try {
          await waitForPort(serve.port, '127.0.0.1', 30_000, () => server.child.exitCode === null);
          const player = await runProgram(project, serve.player.file, serve.player.source, { args: [`rtmp://127.0.0.1:${serve.port}/live`], timeoutMs: 60_000 });
          expect(player.lastLine).toBe(serve.player.lastLine);
          await waitForPort(serve.http.port, '127.0.0.1', 30_000, () => server.child.exitCode === null);
          const page = await fetch(`http://127.0.0.1:${serve.http.port}${serve.http.path}`, { signal: AbortSignal.timeout(10_000) });
          expect(page.status).toBe(200);
          expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        } catch (error) {
          const stopped = await server.stop();
          throw new Error(`${(error as Error).message}\n--- server stdout\n${lastLines(stopped.stdout)}\n--- server stderr\n${lastLines(stopped.stderr)}`);
        }
        await server.stop();
      }, 300_000);
    }
  });
}

function lastLines(text: string, count = 30): string {
  return text.trim().split('\n').slice(-count).join('\n') || lastLine(text);
}

// The folder must be outside the workspace, or Node would find the workspace's node_modules.
it('installs outside the workspace', () => {
  expect(runDir.startsWith(repoRoot)).toBe(false);
  expect(existsSync(join(runDir, '..', 'node_modules', '@rtmpkit'))).toBe(false);
});
