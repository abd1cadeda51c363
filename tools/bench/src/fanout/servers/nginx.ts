/**
 * nginx with Debian's libnginx-mod-rtmp: one master and one worker (`worker_processes 1`), a
 * temporary prefix folder, `live on`, chunk_size 4096, no recording. Both processes count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit, spawnBounded } from '../children.js';
import { HOST, freePort, waitForPort } from '../net-util.js';
import { ServerMissingError, type ServerUnderTest } from './server.js';

const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export function nginxConfig(dir: string, port: number): string {
  return [
    `load_module ${RTMP_MODULE};`,
    'daemon off;',
    'master_process on;',
    'worker_processes 1;',
    'worker_rlimit_nofile 16384;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 8192; }',
    'rtmp {',
    '  server {',
    `    listen ${HOST}:${port};`,
    '    chunk_size 4096;',
    '    application live { live on; record off; }',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function nginxServer(): ServerUnderTest {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new ServerMissingError(`nginx is not on PATH (${probe.error?.message ?? `exit ${probe.status}`}): apt-get install nginx libnginx-mod-rtmp`);
  }
  if (!existsSync(RTMP_MODULE)) throw new ServerMissingError(`${RTMP_MODULE} is missing: apt-get install libnginx-mod-rtmp`);
  const version = /nginx\/(\S+)/.exec(probe.stderr)?.[1] ?? probe.stderr.trim();
  return {
    id: 'nginx',
    label: 'nginx-rtmp',
    version: `nginx ${version} with libnginx-mod-rtmp (Debian)`,
    setup: 'nginx, worker_processes 1 (master + 1 worker counted), rtmp { chunk_size 4096; application live { live on; record off; } }',
    async start(maxSeconds) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-bench-nginx-'));
      removeOnExit(dir);
      writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port));
      const child = spawnBounded('nginx', 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { maxSeconds });
      const stop = async (): Promise<void> => {
        await child.stop();
        rmSync(dir, { recursive: true, force: true });
      };
      try {
        await waitForPort(port, 30_000, child.exited);
      } catch (error) {
        await stop();
        throw new Error(`nginx did not start: ${(error as Error).message}\n${child.output()}`);
      }
      return { rtmpPort: port, child, pids: child.pids, stop };
    },
  };
}
