/** node-media-server 4.4.3 (tools/bench's devDependency), RTMP only, one process: see nms-launcher.ts. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnExit, spawnBounded } from '../children.js';
import { freePort, waitForPort } from '../net-util.js';
import { FANOUT_DIST_DIR } from '../paths.js';
import { serverNodeArgs, type ServerUnderTest } from './server.js';

const require = createRequire(import.meta.url);

export function nmsServer(): ServerUnderTest {
  const { version } = JSON.parse(readFileSync(require.resolve('node-media-server/package.json'), 'utf8')) as { version: string };
  return {
    id: 'nms',
    label: 'node-media-server',
    version: `node-media-server ${version}`,
    setup: 'NodeMediaServer({ rtmp: { port }, webadmin off, store in a temp dir }), logger at error (servers/nms-launcher.ts)',
    async start(maxSeconds) {
      const rtmpPort = await freePort();
      const storeDir = mkdtempSync(join(tmpdir(), 'rtmpkit-bench-nms-'));
      removeOnExit(storeDir);
      const child = spawnBounded('node-media-server', process.execPath, [...serverNodeArgs(), `${FANOUT_DIST_DIR}servers/nms-launcher.js`, String(rtmpPort), storeDir], { maxSeconds });
      const stop = async (): Promise<void> => {
        await child.stop();
        rmSync(storeDir, { recursive: true, force: true });
      };
      try {
        await waitForPort(rtmpPort, 30_000, child.exited);
      } catch (error) {
        await stop();
        throw new Error(`node-media-server did not start: ${(error as Error).message}\n${child.output()}`);
      }
      return { rtmpPort, child, pids: child.pids, stop };
    },
  };
}
