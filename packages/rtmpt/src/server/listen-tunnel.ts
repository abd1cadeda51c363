import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { startHttpFront, type HttpFrontOptions } from './http-front.js';
import type { TunnelServerOptions } from './server-options.js';
import { createTunnelServer, type TunnelServer } from './tunnel-server.js';

/** What `listenTunnel` takes: the tunnel's options, where to listen, and TLS for RTMPTS. */
export interface ListenTunnelOptions extends TunnelServerOptions, HttpFrontOptions {}

/** A running standalone RTMPT(S) server. */
export interface TunnelListener {
  readonly tunnel: TunnelServer;
  readonly server: HttpServer | HttpsServer;
  readonly address: AddressInfo;
  /** Closes every tunnel, then the HTTP server and its connections. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP (or, with `tls`, HTTPS) server that serves only RTMPT: other paths get 404. To
 * share a port with other HTTP routes, use `createTunnelServer` and mount `handleRequest` instead.
 */
export async function listenTunnel(options: ListenTunnelOptions): Promise<TunnelListener> {
  const tunnel = createTunnelServer(options);
  const front = await startHttpFront(options, (request, response) => tunnel.handleRequest(request, response));
  return {
    tunnel,
    server: front.server,
    address: front.address,
    async close() {
      tunnel.close();
      await front.close();
    },
  };
}
