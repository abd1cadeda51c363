import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedHttpOptions } from './http-options.js';

/** Headers every CORS-enabled answer (FLV, API, metrics) carries. */
export function corsHeaders(options: Pick<ResolvedHttpOptions, 'cors'>): Record<string, string> {
  if (options.cors === false) return {};
  return {
    'Access-Control-Allow-Origin': options.cors,
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Range, Content-Type',
    'Access-Control-Max-Age': '600',
    ...(options.cors === '*' ? {} : { Vary: 'Origin' }),
  };
}

/** Answers a CORS preflight. */
export function sendPreflight(response: ServerResponse, options: Pick<ResolvedHttpOptions, 'cors'>): void {
  response.writeHead(204, { ...corsHeaders(options), 'Content-Length': '0' });
  response.end();
}

/** A small text answer (errors, 404s): the message says what to do. */
export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store', ...headers });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}

/** A JSON answer. */
export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value, null, 2), 'utf8');
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store', ...headers });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}

/** `address:port` of the client (IPv6 in brackets). */
export function remoteOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? 'unknown';
  const port = request.socket.remotePort ?? 0;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function hasBearer(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim(), 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
