import { pino } from 'pino';
import { ServerListenError } from '../server/errors.js';
import { createServer, type RtmpServer } from '../server/rtmp-server.js';
import { packageVersion } from '../http/package-version.js';
import { CliError } from './cli-error.js';
import type { ServeConfig } from './serve-config.js';
import { serveParts, type ServeParts } from './serve-transports.js';

/** Where `rtmpkit serve` writes: JSON logs to stdout (pino), the human summary to stderr. */
export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: { write(text: string): unknown };
  /** Aborted on SIGINT/SIGTERM: the server shuts down gracefully. */
  signal: AbortSignal;
}

/** The flag that moves each listener, for messages. */
const PORT_FLAGS: Record<string, string> = {
  rtmp: '--rtmp-port',
  rtmpe: '--rtmp-port',
  rtmps: '--rtmps-port',
  rtmfp: '--rtmfp-port',
  http: '--http-port',
  rtmpt: '--http-port',
  rtmpte: '--http-port',
};
const OFF_FLAGS: Record<string, string> = { rtmp: '--no-rtmp', rtmpe: '--no-rtmp', rtmps: '--no-rtmps', rtmfp: '--no-rtmfp', http: '--no-http', rtmpt: '--no-http', rtmpte: '--no-http' };

/** A listen failure as the CLI says it: which port, what uses it, which flag moves it. */
export function listenProblem(error: ServerListenError): CliError {
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const { scheme, port } = error;
  const host = error.host ?? '0.0.0.0';
  const flag = PORT_FLAGS[scheme] ?? '--<transport>-port';
  const off = OFF_FLAGS[scheme];
  const protocol = scheme === 'rtmfp' ? 'UDP' : 'TCP';
  if (code === 'EADDRINUSE') {
    const ss = scheme === 'rtmfp' ? `ss -lunp 'sport = :${port}'` : `ss -ltnp 'sport = :${port}'`;
    return new CliError(`${scheme}: ${protocol} port ${port} on ${host} is already in use. Stop the program that uses it (\`${ss}\` shows which), or pick another port with ${flag} <port>${off ? ` (or turn it off with ${off})` : ''}.`);
  }
  if (code === 'EACCES') {
    return new CliError(`${scheme}: not allowed to listen on ${protocol} port ${port}: ports below 1024 need root or CAP_NET_BIND_SERVICE. Pick a port above 1023 with ${flag} <port>.`);
  }
  if (code === 'EADDRNOTAVAIL') return new CliError(`${scheme}: ${host} is not an address of this machine: pick one with --host (or 0.0.0.0).`);
  return new CliError(`${scheme}: ${error.message}`);
}

/** The summary printed once everything listens. */
export function readyText(server: RtmpServer, parts: ServeParts): string {
  const lines = [`rtmpkit ${packageVersion()} is serving:`];
  const shown = (address: string): string => (address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address);
  for (const { scheme, address, port } of server.addresses) {
    if (scheme === 'rtmpt' || scheme === 'rtmpte') continue;
    const protocol = scheme === 'rtmfp' ? 'udp' : 'tcp';
    const also = scheme === 'rtmpe' ? ' (and rtmp://)' : '';
    lines.push(`  ${scheme.padEnd(6)} ${protocol} ${address}:${port}  ${scheme}://${shown(address)}:${port}/live/<stream>${also}`);
  }
  const web = parts.web?.address;
  if (web) {
    const base = `http://${shown(web.address)}:${web.port}`;
    const tunnels = server.addresses.filter((a) => a.scheme === 'rtmpt' || a.scheme === 'rtmpte').map((a) => `${a.scheme}://`);
    lines.push(`  http   tcp ${web.address}:${web.port}  ${base}/ (dashboard), ${base}/live/<stream>.flv, ${base}/api/streams, ${base}/metrics`);
    if (tunnels.length > 0) lines.push(`         and ${tunnels.join(', ')} on the same port`);
  }
  lines.push('Press Ctrl-C to stop.');
  return `${lines.join('\n')}\n`;
}

/**
 * `rtmpkit serve`: starts the server with `config`, prints where it listens, and runs until the
 * signal, then shuts down gracefully (players and publishers are told).
 */
export async function runServe(config: ServeConfig, io: ServeIo): Promise<void> {
  const log = pino({ name: 'rtmpkit', level: config.logLevel }, io.stdout);
  const parts = await serveParts(config, log);
  const server = createServer({
    transports: parts.transports,
    plugins: parts.plugins,
    logger: log,
    ...(config.apps ? { apps: config.apps } : {}),
    ...(config.maxSessions !== undefined ? { maxSessions: config.maxSessions } : {}),
    ...(config.maxSinksPerStream !== undefined ? { live: { maxSinksPerStream: config.maxSinksPerStream } } : {}),
    ...(config.auth ? { auth: { signedUrls: { secret: config.auth.secret, require: config.auth.require } } } : {}),
  });
  try {
    await server.start();
  } catch (error) {
    if (error instanceof ServerListenError) throw listenProblem(error);
    throw error;
  }
  io.stderr.write(readyText(server, parts));
  if (!io.signal.aborted) await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
  io.stderr.write('rtmpkit: shutting down…\n');
  await server.close();
}
