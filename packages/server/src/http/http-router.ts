import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveApi } from './api-routes.js';
import { serveDashboard } from './dashboard-routes.js';
import { parseFlvPath, serveFlv } from './flv-route.js';
import type { HttpContext } from './http-context.js';
import type { HttpTunnel } from './http-tunnel.js';
import type { ServerMetrics } from './metrics.js';
import { corsHeaders, hasBearer, sendPreflight, sendText } from './responses.js';

/** What the router serves besides the context. */
export interface RouterParts {
  tunnel: HttpTunnel | undefined;
  metrics: ServerMetrics | undefined;
}

/**
 * The HTTP port's request handler. POSTs go to the RTMPT tunnel first (its paths: `/open`,
 * `/send`, `/idle`, `/close`, `/fcs`); GET and HEAD serve `/<app>/<stream>.flv`, `/api/*`,
 * `/metrics` and the dashboard; OPTIONS answers CORS preflights. Errors are answered with a
 * short text that says what to do.
 */
export function createRouter(context: HttpContext, parts: RouterParts): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(context, parts, request, response).catch((error: unknown) => {
      context.log.error({ err: error, url: request.url }, 'http request failed');
      if (!response.headersSent) sendText(response, 500, 'Internal server error.');
      else response.destroy();
    });
  };
}

async function route(context: HttpContext, parts: RouterParts, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options } = context;
  if (request.method === 'POST' && parts.tunnel?.handleRequest(request, response)) return;
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return sendText(response, 400, 'Bad request URL.');
  }
  const { pathname } = url;
  const cors = corsHeaders(options);
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  const isMetrics = pathname === '/metrics';
  const flv = options.flv ? parseFlvPath(pathname) : undefined;
  if (request.method === 'OPTIONS' && (isApi || isMetrics || flv)) return sendPreflight(response, options);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const hint = request.method === 'POST' ? ' (RTMPT is served here only when the server was given the http plugin\'s transports)' : '';
    return sendText(response, 405, `${request.method ?? 'This method'} is not served at ${pathname}${hint}: use GET.`, { Allow: 'GET, HEAD, OPTIONS' });
  }
  if (flv) return serveFlv(context, request, response, flv, url.searchParams);
  if ((isApi && options.api) || (isMetrics && parts.metrics)) {
    if (options.apiToken !== undefined && !hasBearer(request, options.apiToken)) {
      return sendText(response, 401, 'This endpoint needs "Authorization: Bearer <token>" (the server\'s API token).', { 'WWW-Authenticate': 'Bearer', ...cors });
    }
    if (isMetrics) return sendMetrics(context, parts.metrics!, response);
    if (serveApi(context, pathname, response)) return;
  }
  if (options.dashboard && (await serveDashboard(pathname, response, context.version))) return;
  sendText(response, 404, `Nothing at ${pathname}. This port serves /<app>/<stream>.flv, /api/streams, /api/sessions, /api/server, /metrics and / (the dashboard).`, cors);
}

async function sendMetrics(context: HttpContext, metrics: ServerMetrics, response: ServerResponse): Promise<void> {
  const text = await metrics.metrics({ stats: context.server.stats(), flv: { players: context.players.size, ...context.players.counters() } });
  const body = Buffer.from(text, 'utf8');
  response.writeHead(200, { 'Content-Type': metrics.contentType, 'Content-Length': String(body.length), 'Cache-Control': 'no-store', ...corsHeaders(context.options) });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}
