/**
 * Runs node-media-server (the devDependency, 4.4.3) with RTMP only, on one port, in one process:
 * no HTTP, no web admin, no recording, its store in a temporary folder, logs at error level.
 *
 *   node dist/fanout/servers/nms-launcher.js PORT STORE_DIR
 */
import { createRequire } from 'node:module';

interface NmsLogger {
  level: string;
}
interface NodeMediaServer {
  run(): Promise<void>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const [portText, storeDir] = process.argv.slice(2);
if (!portText || !storeDir) {
  process.stderr.write('usage: nms-launcher.js PORT STORE_DIR\n');
  process.exit(2);
}

const logger = require('node-media-server/src/core/logger.js') as NmsLogger;
const NodeMediaServerClass = require('node-media-server') as new (config: object, configPath: string) => NodeMediaServer;
const config = {
  bind: '127.0.0.1',
  rtmp: { port: Number(portText) },
  webadmin: { enable: false },
  store: { path: storeDir },
  auth: { play: false, publish: false },
};
const nms = new NodeMediaServerClass(config, `${storeDir}/config.json`);
logger.level = 'error'; // its constructor sets 'debug'
void nms.run();

const stop = (): void => {
  void nms.stop().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
