import type { Server } from 'node:http';

/** One request as the server saw it. */
export interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  httpVersion: string;
  /** Index of the TCP connection it came on (0 = first). */
  connection: number;
  at: number;
}

/** Records every request a server gets (before the tunnel handles it). */
export function logRequests(server: Server): LoggedRequest[] {
  const log: LoggedRequest[] = [];
  const sockets = new WeakMap<object, number>();
  let connections = 0;
  server.prependListener('request', (request) => {
    if (!sockets.has(request.socket)) sockets.set(request.socket, connections++);
    log.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      httpVersion: request.httpVersion,
      connection: sockets.get(request.socket)!,
      at: Date.now(),
    });
  });
  return log;
}
