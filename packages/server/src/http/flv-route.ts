import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subscription } from '../live/live-hub.js';
import { authorizeHttpPlay } from './http-auth.js';
import type { HttpContext } from './http-context.js';
import { HttpFlvSink } from './http-flv-sink.js';
import { corsHeaders, remoteOf, sendText } from './responses.js';

/** A live stream named by an HTTP-FLV path. */
export interface FlvTarget {
  app: string;
  name: string;
}

/**
 * `/<app>/<stream>.flv` → `{ app, name }`; the app may have several segments
 * (`/vod/room1/cam.flv` → app `vod/room1`). Undefined for other paths or bad escapes.
 */
export function parseFlvPath(pathname: string): FlvTarget | undefined {
  if (!pathname.endsWith('.flv')) return undefined;
  const segments = pathname.slice(1, -'.flv'.length).split('/');
  if (segments.length < 2 || segments.some((segment) => segment.length === 0)) return undefined;
  try {
    const decoded = segments.map((segment) => decodeURIComponent(segment));
    return { app: decoded.slice(0, -1).join('/'), name: decoded[decoded.length - 1]! };
  } catch {
    return undefined;
  }
}

/**
 * Serves `GET /<app>/<stream>.flv`: an endless chunked FLV response of a live stream — header,
 * `onMetaData`, sequence headers, the cached GOP, then live tags. A stream nobody publishes gets
 * 404 at once (an HTTP client cannot be told "wait" the way an RTMP player is); the response
 * ends when the publisher leaves. 403 when auth refuses, 503 past `maxFlvPlayers`.
 */
export async function serveFlv(context: HttpContext, request: IncomingMessage, response: ServerResponse, target: FlvTarget, query: URLSearchParams): Promise<void> {
  const { server, options, players, log } = context;
  const { app, name } = target;
  const cors = corsHeaders(options);
  const remote = remoteOf(request);
  const refuse = (status: number, text: string, error?: unknown): void => {
    players.refused();
    log.info({ app, stream: name, remote, status, reason: text, err: error }, 'http-flv play refused');
    sendText(response, status, text, cors);
  };

  const outcome = await authorizeHttpPlay(options.auth, { app, name, query, remote, headers: request.headers });
  if (!outcome.allow) return refuse(403, outcome.reason, outcome.error);
  if (response.destroyed) return;
  const stream = server.live.get(app, name);
  if (!stream?.live) return refuse(404, `No live stream ${app}/${name}: nobody publishes it now. Publish it first (e.g. ffmpeg -re -i in.flv -c copy -f flv rtmp://HOST:1935/${app}/${name}).`);
  if (players.size >= options.maxFlvPlayers) return refuse(503, `Too many HTTP-FLV players (maxFlvPlayers = ${options.maxFlvPlayers}). Try again later.`);

  // The header's flags say which tracks to expect (mpegts.js waits for each flagged one).
  const info = stream.info();
  const hasVideo = info.video !== undefined || info.audio === undefined;
  const hasAudio = info.audio !== undefined || info.video === undefined;
  response.statusCode = 200;
  response.setHeader('Content-Type', 'video/x-flv');
  response.setHeader('Cache-Control', 'no-cache, no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [key, value] of Object.entries(cors)) response.setHeader(key, value);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  request.socket.setNoDelay(true);

  let subscription: Subscription | undefined;
  let registration: { remove(): void } | undefined;
  const cleanup = (): void => {
    subscription?.unsubscribe();
    registration?.remove();
  };
  const sink = new HttpFlvSink(response, {
    queue: options.player,
    hasAudio,
    hasVideo,
    onEnd: (reason, detail) => {
      if (reason === 'slow') {
        players.slow();
        log.warn({ app, stream: name, remote, reason: detail }, 'slow http-flv player disconnected');
        response.destroy();
      } else {
        log.info({ app, stream: name, remote, reason: detail }, 'http-flv play ended');
      }
      cleanup();
    },
  });
  try {
    subscription = server.live.subscribe(app, name, sink);
  } catch (error) {
    sink.detach();
    if (response.headersSent) response.destroy();
    else refuse(503, (error as Error).message, error);
    return;
  }
  registration = players.add({ remote, app, name }, () => sink.stats());
  if (sink.ended) return cleanup();
  log.info({ app, stream: name, remote }, 'http-flv playing');
  response.on('close', () => {
    if (!sink.ended) {
      sink.detach();
      log.info({ app, stream: name, remote }, 'http-flv player left');
    }
    cleanup();
  });
  sink.start();
}
