import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { DASHBOARD_CSP, dashboardPage } from './dashboard-page.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { sendText } from './responses.js';

let mpegtsScript: Promise<Buffer> | undefined;

/** mpegts.js's browser build, from this package's dependencies (read once, kept in memory). */
function loadMpegts(): Promise<Buffer> {
  if (!mpegtsScript) {
    const loading = (async () => readFile(createRequire(import.meta.url).resolve('mpegts.js')))();
    loading.catch(() => {
      if (mpegtsScript === loading) mpegtsScript = undefined; // try again next time
    });
    mpegtsScript = loading;
  }
  return mpegtsScript;
}

function sendBody(response: ServerResponse, type: string, body: Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': String(body.length), 'X-Content-Type-Options': 'nosniff', ...headers });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}

/** Serves `/`, `/assets/dashboard.js` and `/assets/mpegts.js`; false for other paths. */
export async function serveDashboard(pathname: string, response: ServerResponse, version: string): Promise<boolean> {
  if (pathname === '/' || pathname === '/index.html') {
    sendBody(response, 'text/html; charset=utf-8', Buffer.from(dashboardPage(version), 'utf8'), {
      'Content-Security-Policy': DASHBOARD_CSP,
      'Cache-Control': 'no-cache',
      'Referrer-Policy': 'no-referrer',
    });
    return true;
  }
  if (pathname === '/assets/dashboard.js') {
    sendBody(response, 'text/javascript; charset=utf-8', Buffer.from(DASHBOARD_SCRIPT, 'utf8'), { 'Cache-Control': 'no-cache' });
    return true;
  }
  if (pathname === '/assets/mpegts.js') {
    let script: Buffer;
    try {
      script = await loadMpegts();
    } catch (error) {
      sendText(response, 500, `mpegts.js is not installed next to @rtmpkit/server (${(error as Error).message}); reinstall @rtmpkit/server.`);
      return true;
    }
    sendBody(response, 'text/javascript; charset=utf-8', script, { 'Cache-Control': 'public, max-age=3600' });
    return true;
  }
  return false;
}
