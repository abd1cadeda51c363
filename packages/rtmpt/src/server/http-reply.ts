import type { ServerResponse } from 'node:http';
import { totalLength } from '../byte-queue.js';
import { RTMPT_REPLY_HEADERS } from '../protocol/constants.js';

/**
 * Writes a complete RTMPT reply: status, Red5's headers, an exact Content-Length (librtmp reads
 * the body by it; no chunked encoding) and the body chunks without copying them.
 */
export function writeTunnelReply(response: ServerResponse, chunks: readonly Buffer[], status = 200): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...RTMPT_REPLY_HEADERS, 'Content-Length': String(totalLength(chunks)) });
  // Writes in one tick are corked by node:http and leave as one writev.
  for (const chunk of chunks) response.write(chunk);
  response.end();
}

/**
 * Refuses a request with a status and a one-line text body that says why. `closeConnection`
 * when the request body was not read (the connection cannot be reused safely).
 */
export function writeRefusal(
  response: ServerResponse,
  status: number,
  message: string,
  options: { closeConnection?: boolean; headers?: Record<string, string> } = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const body = Buffer.from(`${message}\n`);
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
    'Content-Length': String(body.length),
    Connection: options.closeConnection ? 'close' : 'Keep-Alive',
    ...options.headers,
  });
  response.end(body);
}
