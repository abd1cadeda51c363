import { mkdir, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { http, type HttpPlugin } from '../http/index.js';
import { recorder } from '../record/index.js';
import type { ServerPlugin } from '../server/plugin.js';
import type { TransportConfig } from '../server/server-options.js';
import { vod } from '../vod/index.js';
import { CliError } from './cli-error.js';
import { isMissingPackage } from './client-transport.js';
import type { ServeConfig } from './serve-config.js';

/** What `rtmpkit serve` hands to `createServer`. */
export interface ServeParts {
  transports: TransportConfig[];
  plugins: ServerPlugin[];
  /** The HTTP plugin, when the HTTP port is on. */
  web: HttpPlugin | undefined;
}

/**
 * Imports a transport package if it is installed. A package that is missing is skipped with a
 * log line (so a server runs with whatever transports are there); one that fails to load for
 * another reason is an error.
 */
async function optional<T>(specifier: string, load: () => Promise<T>, log: Logger, what: string): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, specifier)) throw error;
    log.warn({ package: specifier }, `${what} skipped: ${specifier} is not installed (npm install ${specifier})`);
    return undefined;
  }
}

async function checkFolder(flag: string, path: string, create: boolean): Promise<void> {
  if (create) await mkdir(path, { recursive: true }).catch((error: Error) => {
    throw new CliError(`cannot create the ${flag} folder ${path}: ${error.message}`);
  });
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CliError(`${flag} folder not found: ${path}`);
  if (!info.isDirectory()) throw new CliError(`${flag} ${path} is not a folder`);
}

/** The transports and plugins of `config`, each transport from its package when installed. */
export async function serveParts(config: ServeConfig, log: Logger): Promise<ServeParts> {
  const { host } = config;
  const transports: TransportConfig[] = [];
  const plugins: ServerPlugin[] = [];
  const onConnectionError = (scheme: string) => (error: unknown, remote: { address?: string; port?: number }): void =>
    log.debug({ scheme, err: error, remote: `${remote.address}:${remote.port}` }, 'connection failed before connect');

  const rtmpe = config.rtmp && config.rtmp.rtmpe ? await optional('@rtmpkit/rtmpe', () => import('@rtmpkit/rtmpe'), log, 'RTMPE') : undefined;
  if (config.rtmp) {
    // One port for both: RTMPE's handshake tells plain RTMP clients apart by their first byte.
    const transport = rtmpe
      ? rtmpe.rtmpe({ server: { acceptPlain: true }, onConnectionError: onConnectionError('rtmpe') })
      : (await import('@rtmpkit/rtmp')).rtmp({ onConnectionError: onConnectionError('rtmp') });
    transports.push({ transport, listen: { host, port: config.rtmp.port } });
  }
  if (config.rtmps) {
    const rtmps = await optional('@rtmpkit/rtmps', () => import('@rtmpkit/rtmps'), log, 'RTMPS');
    if (rtmps) {
      const { cert, key } = config.rtmps;
      const transport = rtmps.rtmps({
        certificate: cert && key ? { certFile: cert, keyFile: key } : undefined,
        log: ({ level, message, details }) => log[level]({ scheme: 'rtmps', ...details }, message),
        onConnectionError: onConnectionError('rtmps'),
      });
      transports.push({ transport, listen: { host, port: config.rtmps.port } });
    }
  }
  if (config.rtmfp) {
    const rtmfp = await optional('@rtmpkit/rtmfp', () => import('@rtmpkit/rtmfp'), log, 'RTMFP');
    if (rtmfp) transports.push({ transport: rtmfp.rtmfp(), listen: { host, port: config.rtmfp.port } });
  }
  let web: HttpPlugin | undefined;
  if (config.http) {
    const tunnel = !config.http.tunnel ? false : rtmpe ? 'rtmpte' : 'rtmpt';
    const signedUrls = config.auth && { secret: config.auth.secret, require: config.auth.require };
    web = http({ host, port: config.http.port, tunnel, dashboard: config.http.dashboard, apiToken: config.http.apiToken, auth: signedUrls ? { signedUrls } : {} });
    plugins.push(web);
    transports.push(...web.transports);
  }
  if (config.mediaDir !== undefined) {
    await checkFolder('--media-dir', config.mediaDir, false);
    plugins.push(vod({ mediaDir: config.mediaDir }));
  }
  if (config.recordDir !== undefined) {
    await checkFolder('--record-dir', config.recordDir, true);
    plugins.push(recorder({ recordDir: config.recordDir, recordAll: config.recordAll }));
  }
  return { transports, plugins, web };
}
