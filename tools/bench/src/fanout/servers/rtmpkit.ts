/**
 * rtmpkit, as users run it: `rtmpkit serve` from packages/server/bin (built by the bench script),
 * RTMP (with RTMPE on the same port, the CLI's default) and RTMPS with a development certificate,
 * no RTMFP, no HTTP, logs off.
 *
 * It runs with the CLI's defaults of 1000 connections (`--max-sessions`) and 1000 sinks per
 * live stream (`--max-sinks-per-stream`), the sizes this benchmark goes up to.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { spawnBounded } from '../children.js';
import { HOST, freePort, waitForPort } from '../net-util.js';
import { BENCH_DIR, REPO_DIR } from '../paths.js';
import { ServerMissingError, serverNodeArgs, type ServerUnderTest } from './server.js';

const CLI = `${REPO_DIR}packages/server/bin/rtmpkit.js`;
/** The development certificate is cached here instead of ~/.cache/rtmpkit. */
const XDG_CACHE = `${BENCH_DIR}.cache/xdg`;

function version(): string {
  const { version: packageVersion } = JSON.parse(readFileSync(`${REPO_DIR}packages/server/package.json`, 'utf8')) as { version: string };
  let commit = '';
  let dirty: string[] = [];
  try {
    // Read-only: which commit, and which packages have uncommitted changes (they are in the build).
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: REPO_DIR, encoding: 'utf8' });
    dirty = [...new Set(status.split('\n').map((line) => /packages\/([^/]+)\//.exec(line)?.[1]).filter((name): name is string => name !== undefined))];
  } catch {
    // not a git checkout
  }
  const tree = dirty.length > 0 ? `, plus uncommitted changes in packages/${dirty.join(', packages/')}` : '';
  return `@rtmpkit/server ${packageVersion}${commit ? ` (commit ${commit}${tree})` : ''}`;
}

export function rtmpkitServer(): ServerUnderTest {
  if (!existsSync(`${REPO_DIR}packages/server/dist/cli/main.js`)) {
    throw new ServerMissingError('@rtmpkit/server is not built: run `pnpm bench:fanout` from the repo root (it builds it)');
  }
  return {
    id: 'rtmpkit',
    label: 'rtmpkit',
    version: version(),
    setup: 'rtmpkit serve --host 127.0.0.1 --rtmp-port P --rtmps-port P2 --no-rtmfp --no-http --log-level silent (RTMPE on the RTMP port, the default; dev certificate)',
    maxSessions: 1000,
    async start(maxSeconds) {
      const rtmpPort = await freePort();
      const rtmpsPort = await freePort();
      mkdirSync(XDG_CACHE, { recursive: true });
      const args = [...serverNodeArgs(), CLI, 'serve', '--host', HOST, '--rtmp-port', String(rtmpPort), '--rtmps-port', String(rtmpsPort), '--no-rtmfp', '--no-http', '--log-level', 'silent'];
      const child = spawnBounded('rtmpkit', process.execPath, args, { maxSeconds, env: { ...process.env, XDG_CACHE_HOME: XDG_CACHE } });
      try {
        await waitForPort(rtmpPort, 30_000, child.exited);
        await waitForPort(rtmpsPort, 30_000, child.exited);
      } catch (error) {
        await child.stop();
        throw new Error(`rtmpkit did not start: ${(error as Error).message}\n${child.output()}`);
      }
      return { rtmpPort, rtmpsPort, child, pids: child.pids, stop: () => child.stop() };
    },
  };
}
