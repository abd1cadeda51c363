import { rtmp } from '@rtmpkit/rtmp';
import { createServer, type RtmpServer, type ServerOptions } from '../../src/index.js';

export interface TestServer {
  server: RtmpServer;
  port: number;
  /** `rtmp://127.0.0.1:PORT/<path>` */
  url(path: string): string;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 (free port), plain RTMP, with `options` on top. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const server = createServer({ transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } }], shutdownTimeoutMs: 3000, ...options });
  await server.start();
  const port = server.addresses[0]!.port;
  return { server, port, url: (path) => `rtmp://127.0.0.1:${port}/${path}`, close: () => server.close() };
}

/** Resolves when `check` is true (polled), or rejects after `timeoutMs` with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
