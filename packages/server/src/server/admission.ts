import { StreamRejectedError } from '@rtmpkit/core';
import type { IncomingSession, Session, StreamEndEvent, TransportScheme } from '@rtmpkit/core';
import type { ClientInfo } from '../auth/auth-types.js';
import { formatRemote, ServerConnection } from './connection.js';
import type { ServerContext } from './context.js';
import { handlePlay } from './play-handler.js';
import { handlePublish } from './publish-handler.js';
import { appOf, nameProblem } from './stream-names.js';

/** Ends what a publish or play of the connection held. */
function streamEnded(context: ServerContext, connection: ServerConnection, event: StreamEndEvent): void {
  const publish = connection.publishes.get(event.stream);
  if (publish) {
    // The publication itself ends when the publisher's pump has read what is still queued
    // (closeStream can arrive in the same read as the last frames).
    connection.publishes.delete(event.stream);
    connection.log.info({ stream: publish.name, err: event.error }, 'publish ended');
  }
  const play = connection.plays.get(event.stream);
  if (play) {
    connection.plays.delete(event.stream);
    play.subscription?.unsubscribe();
    play.sink?.detach();
    connection.playEnded(play);
    if (play.handle) void Promise.resolve(play.handle.stop()).catch((error: unknown) => connection.log.warn({ err: error }, 'play source failed to stop'));
    context.events.emit('playStop', { app: connection.client.app, name: play.name, sessionId: connection.id, source: play.source });
    connection.log.info({ stream: play.name }, 'play ended');
  }
}

/** How the connection answers publish, play and the rest. */
function wire(context: ServerContext, connection: ServerConnection): void {
  const { session } = connection;
  session.onStreamRequest({
    publish: (request) => handlePublish(context, connection, request),
    play: (request) => handlePlay(context, connection, request),
    pause: async ({ stream, paused, positionMs }) => {
      await connection.plays.get(stream)?.handle?.pause?.(paused, positionMs);
    },
    seek: async ({ stream, positionMs }) => {
      await connection.plays.get(stream)?.handle?.seek?.(positionMs);
    },
    play2: async ({ stream, options }) => {
      const handle = connection.plays.get(stream)?.handle;
      if (!handle?.play2) throw new StreamRejectedError('NetStream.Play.Failed', 'play2 is not supported for this stream.');
      await handle.play2(options);
    },
    getStreamLength: async (name) => {
      const bare = name.split('?')[0]!;
      for (const source of context.sources) {
        const seconds = await source.streamLength?.(connection.client.app, bare);
        if (seconds !== undefined) return seconds;
      }
      return 0;
    },
    end: (event) => streamEnded(context, connection, event),
  });
}

/**
 * Takes one incoming connection: refuses it (`NetConnection.Connect.Rejected`) when the server
 * is closing or full, the app is unknown or `onConnect` says no; otherwise accepts it, registers
 * it, and answers its publishes and plays until it closes.
 */
export async function admit(context: ServerContext, incoming: IncomingSession, scheme: TransportScheme): Promise<void> {
  const { name: app, query } = appOf(incoming.connectInfo);
  const remote = formatRemote(incoming.remote);
  const refuse = async (reason: string, error?: unknown): Promise<void> => {
    context.counters.rejectedConnections++;
    context.events.emit('reject', { remote, scheme, app, reason });
    context.log.info({ remote, scheme, app, reason, err: error }, 'connection refused');
    await incoming.reject(reason).catch(() => {});
  };
  if (context.closing) return refuse('The server is shutting down.');
  if (context.connections.size >= context.options.maxSessions) return refuse('The server is full.');
  const problem = nameProblem(app, context.options.maxNameLength, 'application');
  if (problem) return refuse(problem);
  if (!context.options.apps(app)) return refuse(`Unknown application: ${app}.`);

  const id = context.nextSessionId();
  const client: ClientInfo = { sessionId: id, app, query, remote: incoming.remote, scheme, secure: scheme === 'rtmps' || scheme === 'rtmpts', connectInfo: incoming.connectInfo };
  const outcome = await context.auth.connect(client);
  if (!outcome.allow) return refuse(outcome.reason, outcome.error);
  if (context.closing) return refuse('The server is shutting down.');

  let session: Session;
  try {
    session = await incoming.accept();
  } catch (error) {
    context.log.debug({ remote, err: error }, 'the client left before connect was answered');
    return;
  }
  client.secure = session.secure;
  const connection = new ServerConnection(id, session, client, context.log.child({ session: id, remote, scheme, app }));
  context.connections.add(connection);
  context.counters.connections++;
  wire(context, connection);
  connection.log.info({ flashVer: incoming.connectInfo.flashVer }, 'connected');
  context.events.emit('connect', { session: connection.info() });

  void session.closed.then(() => {
    context.connections.delete(connection);
    context.counters.bytesOut += connection.bytesOut;
    const error = session.closeError;
    connection.log.info({ err: error }, 'disconnected');
    context.events.emit('disconnect', { session: connection.info(), ...(error ? { error: error.message } : {}) });
  });
}
