import { createServer as createHttpServer, type Server as NodeHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerListenError } from '../server/errors.js';
import type { ServerPlugin } from '../server/plugin.js';
import type { RtmpServer } from '../server/rtmp-server.js';
import type { TransportConfig } from '../server/server-options.js';
import { FlvPlayers } from './flv-players.js';
import type { HttpContext } from './http-context.js';
import { resolveHttpOptions, type HttpOptions, type ResolvedHttpOptions } from './http-options.js';
import { createRouter } from './http-router.js';
import { HttpTunnel } from './http-tunnel.js';
import { createServerMetrics } from './metrics.js';
import { packageVersion } from './package-version.js';

/** How long `close()` lets HTTP responses finish before it cuts their connections (ms). */
const CLOSE_GRACE_MS = 1000;

/** The HTTP plugin: a `ServerPlugin` plus the tunnel transports and the address it listens on. */
export interface HttpPlugin extends ServerPlugin {
  readonly name: 'http';
  /**
   * The RTMPT (and RTMPTE) transports of the tunnel on this port: put them in
   * `createServer({ transports })` next to the others (empty when `tunnel: false`).
   */
  readonly transports: TransportConfig[];
  /** Where the HTTP server listens (undefined until `start()` set the plugin up). */
  readonly address: { address: string; port: number } | undefined;
  /** The HTTP-FLV players and their totals (the API's `httpFlv`). */
  readonly players: FlvPlayers;
  setup(server: RtmpServer): Promise<void>;
  close(): Promise<void>;
}

function listenError(options: ResolvedHttpOptions, cause: unknown): ServerListenError {
  const { host, port } = options;
  const code = (cause as NodeJS.ErrnoException).code;
  let message: string;
  if (code === 'EADDRINUSE') {
    message = `http: port ${port} on ${host} is already in use. Stop the program that uses it (\`ss -ltnp 'sport = :${port}'\` shows which) or choose another port: http({ port }), or \`rtmpkit serve --http-port\`.`;
  } else if (code === 'EACCES') {
    message = `http: not allowed to listen on ${host}:${port}. Ports below 1024 need privileges: use a port above 1023 (the default is 8080) or grant CAP_NET_BIND_SERVICE.`;
  } else if (code === 'EADDRNOTAVAIL') {
    message = `http: ${host} is not an address of this machine. Listen on one of its addresses, or 0.0.0.0 / ::.`;
  } else {
    message = `http: could not listen on ${host}:${port}: ${(cause as Error).message}`;
  }
  return new ServerListenError('http', host, port, message, { cause });
}

/**
 * One HTTP port for the media server: HTTP-FLV live playback (`GET /<app>/<stream>.flv`), a
 * JSON API (`/api/server`, `/api/streams`, `/api/sessions`), Prometheus metrics (`/metrics`), a
 * dashboard with in-browser previews (`/`), and RTMPT/RTMPTE tunnels:
 *
 * ```ts
 * const web = http({ port: 8080 });
 * const server = createServer({ transports: [rtmp(), ...web.transports], plugins: [web] });
 * await server.start();
 * ```
 */
export function http(input: HttpOptions = {}): HttpPlugin {
  const options = resolveHttpOptions(input);
  const players = new FlvPlayers();
  let tunnel: HttpTunnel | undefined;
  let httpServer: NodeHttpServer | undefined;
  let address: { address: string; port: number } | undefined;
  let transports: TransportConfig[] = [];
  if (options.tunnel !== false) {
    // The transports exist before setup: they go into createServer({ transports }).
    tunnel = new HttpTunnel(options.tunnel, options.tunnelSettings);
    transports = tunnel.transports;
  }

  return {
    name: 'http',
    transports,
    players,
    get address() {
      return address;
    },
    async setup(server: RtmpServer): Promise<void> {
      if (httpServer) throw new Error('this http() plugin is in use already: make one per server');
      const log = server.log.child({ component: 'http' });
      const metrics = options.metrics ? await createServerMetrics({ processMetrics: options.processMetrics }) : undefined;
      const context: HttpContext = { server, options, players, log, version: packageVersion() };
      const created = createHttpServer({ headersTimeout: options.headersTimeoutMs, keepAliveTimeout: options.keepAliveTimeoutMs });
      created.maxConnections = options.maxConnections;
      httpServer = created;
      try {
        await new Promise<void>((resolve, reject) => {
          created.once('error', reject);
          created.listen(options.port, options.host, () => {
            created.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        httpServer = undefined;
        throw listenError(options, error);
      }
      created.on('error', (error) => log.error({ err: error }, 'http server error'));
      const bound = created.address() as AddressInfo;
      address = { address: bound.address, port: bound.port };
      await tunnel?.attach({ address: bound.address, port: bound.port, family: bound.family }, log);
      created.on('request', createRouter(context, { tunnel, metrics }));
      log.info({ address: bound.address, port: bound.port, tunnel: options.tunnel }, 'http listening');
    },
    async close(): Promise<void> {
      const closing = httpServer;
      httpServer = undefined;
      await tunnel?.close().catch(() => {});
      if (!closing) return;
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      closing.closeIdleConnections();
      const grace = setTimeout(() => closing.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
    },
  };
}
