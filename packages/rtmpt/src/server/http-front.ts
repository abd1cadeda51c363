import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeRefusal } from './http-reply.js';

/** Where and how a standalone RTMPT(S) HTTP server listens. */
export interface HttpFrontOptions {
  /** Default `0.0.0.0`. */
  host?: string;
  /** Default 80 (RTMPT) or 443 (RTMPTS, when `tls` is given). 0 picks a free port. */
  port?: number;
  /** Certificate and key (and any other `node:https` server option): HTTPS, for RTMPTS. */
  tls?: HttpsServerOptions;
  /**
   * How long an idle keep-alive connection stays open between two requests. Default 30 s
   * (node's default of 5 s is shorter than some clients' pauses between polls).
   */
  keepAliveTimeoutMs?: number;
  signal?: AbortSignal;
}

/** A listening HTTP(S) server. */
export interface HttpFront {
  readonly server: HttpServer | HttpsServer;
  readonly address: AddressInfo;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP (or, with `tls`, HTTPS) server whose requests go to `handle`; what it does not
 * take (returns false) gets 404.
 */
export async function startHttpFront(
  options: HttpFrontOptions,
  handle: (request: IncomingMessage, response: ServerResponse) => boolean,
): Promise<HttpFront> {
  const server = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 30_000;
  server.on('request', (request, response) => {
    if (handle(request, response)) return;
    request.resume();
    writeRefusal(response, 404, 'this server speaks RTMPT only (POST /open/1, /send/…, /idle/…, /close/…)');
  });
  const host = options.host ?? '0.0.0.0';
  const port = options.port ?? (options.tls ? 443 : 80);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        error.message = `port ${port} on ${host} is already in use: stop the other server or choose another port (${error.message})`;
      }
      reject(error);
    };
    server.once('error', onError);
    server.listen({ host, port, signal: options.signal }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return {
    server,
    address: server.address() as AddressInfo,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
