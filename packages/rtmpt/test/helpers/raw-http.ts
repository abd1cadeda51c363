import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A complete HTTP reply as a test sees it. */
export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends one request on a fresh connection (no keep-alive pool), the way a misbehaving or
 * concurrent client would, and reads the whole reply.
 */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; body?: Buffer; headers?: Record<string, string>; secure?: boolean } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? Buffer.of(0);
    const request = options.secure ? httpsRequest : httpRequest;
    const req = request({
      rejectUnauthorized: false,
      host: '127.0.0.1',
      port,
      path,
      method: options.method ?? 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/x-fcs', 'Content-Length': String(body.length), ...options.headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    if (options.method === 'GET' || options.method === 'HEAD') req.end();
    else req.end(body);
  });
}

/** Opens a tunnel session by hand and returns its id. */
export async function rawOpen(port: number, secure = false): Promise<string> {
  const reply = await rawRequest(port, '/open/1', { secure });
  if (reply.status !== 200) throw new Error(`/open/1 answered ${reply.status}`);
  return reply.body.toString('latin1').trimEnd();
}

/**
 * Resolves once `count` more requests have reached `server` with their whole body (and the
 * tunnel had a moment to take them): lets a test act only after a request is really there.
 */
export function requestsArrived(server: import('node:http').Server, count: number): Promise<void> {
  return new Promise((resolve) => {
    let left = count;
    const onRequest = (request: import('node:http').IncomingMessage) => {
      request.once('end', () => {
        if (--left > 0) return;
        server.off('request', onRequest);
        setTimeout(resolve, 20);
      });
    };
    server.on('request', onRequest);
  });
}
