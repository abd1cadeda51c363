import type { ServerResponse } from 'node:http';
import type { LiveStreamInfo } from '../live/live-types.js';
import type { HttpContext } from './http-context.js';
import { toJsonSafe } from './json-safe.js';
import { corsHeaders, sendJson } from './responses.js';

/** The HTTP-FLV path of a stream (`/live/cam1.flv`). */
export function flvPathOf(app: string, name: string): string {
  return `/${app.split('/').map(encodeURIComponent).join('/')}/${encodeURIComponent(name)}.flv`;
}

/** A stream as the API shows it: the stats snapshot, JSON-safe, plus its HTTP-FLV path. */
function streamJson(stream: LiveStreamInfo, context: HttpContext): unknown {
  const safe = toJsonSafe(stream) as Record<string, unknown>;
  return context.options.flv ? { ...safe, flv: flvPathOf(stream.app, stream.name) } : safe;
}

/** `GET /api/server`: who we are, uptime, counters, where every transport listens, HTTP-FLV totals. */
export function serverJson(context: HttpContext): unknown {
  const stats = context.server.stats();
  return {
    name: 'rtmpkit',
    version: context.version,
    state: context.server.state,
    uptimeMs: stats.uptimeMs,
    counters: stats.counters,
    listeners: stats.listeners,
    streams: stats.streams.length,
    sessions: stats.sessions.length,
    httpFlv: { players: context.players.size, ...context.players.counters() },
  };
}

/**
 * Answers `/api/server`, `/api/streams`, `/api/streams/<app>/<name>` and `/api/sessions`
 * (GET/HEAD); false for other `/api` paths.
 */
export function serveApi(context: HttpContext, pathname: string, response: ServerResponse): boolean {
  const cors = corsHeaders(context.options);
  if (pathname === '/api/server') {
    sendJson(response, 200, serverJson(context), cors);
    return true;
  }
  if (pathname === '/api/streams') {
    sendJson(response, 200, { streams: context.server.streams().map((stream) => streamJson(stream, context)) }, cors);
    return true;
  }
  if (pathname === '/api/sessions') {
    sendJson(response, 200, { sessions: context.server.sessions(), httpFlv: context.players.list() }, cors);
    return true;
  }
  const one = /^\/api\/streams\/(.+)\/([^/]+)$/.exec(pathname);
  if (one) {
    let app: string;
    let name: string;
    try {
      app = decodeURIComponent(one[1]!);
      name = decodeURIComponent(one[2]!);
    } catch {
      return false;
    }
    const stream = context.server.streams().find((s) => s.app === app && s.name === name);
    if (stream) sendJson(response, 200, streamJson(stream, context), cors);
    else sendJson(response, 404, { error: `No live stream ${app}/${name}.` }, cors);
    return true;
  }
  return false;
}
