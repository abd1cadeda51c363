import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerPath } from './peers.js';
import { freePort, startPeer, waitForPort, type RunningPeer } from './processes.js';

export interface NginxRtmpOptions {
  /** Outgoing chunk size of nginx-rtmp (its default is 4096). */
  chunkSize?: number;
  /** Also terminate TLS on a second port and proxy it to the RTMP port (an RTMPS server). */
  tls?: { certificateFile: string; keyFile: string };
}

export interface NginxRtmp {
  port: number;
  tlsPort?: number;
  dir: string;
  /** nginx's error log so far (useful in assertion messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts nginx with the RTMP module (application `live`, `live on`) on a free loopback port. */
export async function startNginxRtmp(options: NginxRtmpOptions = {}): Promise<NginxRtmp> {
  peerPath('nginx-rtmp');
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-nginx-'));
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const lines = [
    'load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;',
    options.tls ? 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;' : '',
    'daemon off;',
    'master_process off;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log info;`,
    'events { worker_connections 256; }',
    'rtmp { server {',
    `  listen 127.0.0.1:${port};`,
    options.chunkSize ? `  chunk_size ${options.chunkSize};` : '',
    '  application live { live on; }',
    '} }',
    options.tls
      ? `stream { server { listen 127.0.0.1:${tlsPort} ssl; ssl_certificate ${options.tls.certificateFile}; ssl_certificate_key ${options.tls.keyFile}; proxy_pass 127.0.0.1:${port}; } }`
      : '',
  ];
  writeFileSync(join(dir, 'nginx.conf'), lines.filter(Boolean).join('\n'));
  const nginx: RunningPeer = startPeer(peerPath('nginx'), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    timeoutMs: 10 * 60_000,
  });
  const log = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitForPort(port);
    if (tlsPort) await waitForPort(tlsPort);
  } catch (error) {
    await nginx.stop();
    throw new Error(`nginx-rtmp did not start: ${(error as Error).message}\n${log()}`);
  }
  return {
    port,
    tlsPort,
    dir,
    log,
    async stop() {
      await nginx.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
