import { StreamRejectedError, statusInfo, type PlayAccept, type PlayRequest } from '@rtmpkit/core';
import type { PlayAuthRequest } from '../auth/auth-types.js';
import type { PlaybackHandle, PlaySourceRequest } from '../play/play-sources.js';
import { RtmpPlayerSink } from '../play/rtmp-player-sink.js';
import type { ConnectionPlay, ServerConnection } from './connection.js';
import type { ServerContext } from './context.js';
import { nameProblem, reasonOf, splitQuery } from './stream-names.js';

function deny(context: ServerContext, connection: ServerConnection, name: string, code: string, reason: string, error?: unknown): never {
  context.counters.deniedPlays++;
  context.events.emit('denied', { action: 'play', app: connection.client.app, name, sessionId: connection.id, code, reason });
  connection.log.info({ stream: name, code, reason, err: error }, 'play refused');
  throw new StreamRejectedError(code, reason);
}

/** The first source that takes the play, or undefined. */
async function openFromSources(context: ServerContext, request: PlaySourceRequest): Promise<{ handle: PlaybackHandle; source: string } | undefined> {
  for (const source of context.sources) {
    const handle = await source.open(request);
    if (handle) return { handle, source: source.name };
  }
  return undefined;
}

function started(context: ServerContext, connection: ServerConnection, request: PlayRequest, play: ConnectionPlay): void {
  connection.plays.set(request.stream, play);
  context.counters.plays++;
  context.events.emit('play', { app: connection.client.app, name: play.name, sessionId: connection.id, source: play.source });
  connection.log.info({ stream: play.name, source: play.source, start: request.start }, 'playing');
}

/**
 * Subscribes a live player once `NetStream.Play.Start` went out (the session sends it when the
 * handler returns; this runs on the next turn of the event loop).
 */
function subscribeLive(context: ServerContext, connection: ServerConnection, request: PlayRequest, play: ConnectionPlay): void {
  const { app } = connection.client;
  setImmediate(() => {
    if (request.stream.mode !== 'playing' || connection.plays.get(request.stream) !== play) return;
    try {
      play.subscription = context.hub.subscribe(app, play.name, play.sink!);
    } catch (error) {
      connection.log.info({ stream: play.name, err: error }, 'live subscription refused');
      void request.stream.sendStatus(statusInfo('error', 'NetStream.Play.Failed', (error as Error).message, { details: play.name })).catch(() => {});
      void request.stream.close().catch(() => {});
    }
  });
}

/**
 * Answers a play: name checks, signed URL and `onPlay`; then a `PlaySource` for recorded plays
 * (start >= 0) and for live plays nobody publishes, else the live stream (waiting for its
 * publisher if there is none yet, as nginx-rtmp does).
 */
export async function handlePlay(context: ServerContext, connection: ServerConnection, request: PlayRequest): Promise<void | PlayAccept> {
  const { app } = connection.client;
  const { name, query: streamQuery } = splitQuery(request.name);
  if (context.closing) deny(context, connection, name, 'NetStream.Play.Failed', 'The server is shutting down.');
  const problem = nameProblem(name, context.options.maxNameLength, 'stream name');
  if (problem) deny(context, connection, name, 'NetStream.Play.Failed', problem);
  const authRequest: PlayAuthRequest = { ...connection.client, name, streamQuery, start: request.start, duration: request.duration };
  const outcome = await context.auth.play(authRequest);
  if (!outcome.allow) deny(context, connection, name, outcome.code ?? 'NetStream.Play.Failed', outcome.reason, outcome.error);

  const live = context.hub.isLive(app, name);
  if (request.start >= 0 || !live) {
    let found: { handle: PlaybackHandle; source: string } | undefined;
    try {
      found = await openFromSources(context, { ...authRequest, stream: request.stream, reset: request.reset, live });
    } catch (error) {
      const code = (error as { statusCode?: string }).statusCode ?? 'NetStream.Play.Failed';
      deny(context, connection, name, code, reasonOf(error), error);
    }
    if (found) {
      const { handle, source } = found;
      if (request.stream.mode !== 'playing') {
        await handle.stop();
        return;
      }
      started(context, connection, request, { name, source, handle });
      setImmediate(() => {
        if (request.stream.mode === 'playing') handle.start();
      });
      return { recorded: handle.recorded ?? true };
    }
    if (request.start >= 0) deny(context, connection, name, 'NetStream.Play.StreamNotFound', `${name} was not found.`);
  }

  const play: ConnectionPlay = { name, source: 'live' };
  play.sink = new RtmpPlayerSink(request.stream, {
    queue: context.options.player,
    onDisconnect: (reason) => {
      context.counters.slowPlayers++;
      context.events.emit('slowPlayer', { app, name, sessionId: connection.id, reason, stats: play.sink!.stats() });
      connection.log.warn({ stream: name, reason }, 'slow player disconnected');
      play.subscription?.unsubscribe();
      void connection.session.close().catch(() => {});
    },
  });
  started(context, connection, request, play);
  subscribeLive(context, connection, request, play);
}
