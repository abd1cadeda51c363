import { StreamRejectedError } from '@rtmpkit/core';
import type {
  IncomingSession,
  Play2Request,
  PlayAccept,
  PlayRequest,
  PublishRequest,
  Session,
  StreamEndEvent,
  StreamRequestHandlers,
  TransportScheme,
} from '@rtmpkit/core';
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

/** Whether the server logs at info (the connection's child logger is only made to log something). */
function infoEnabled(context: ServerContext): boolean {
  const { log } = context;
  return typeof log.isLevelEnabled !== 'function' || log.isLevelEnabled('info');
}

type PauseRequest = Parameters<NonNullable<StreamRequestHandlers['pause']>>[0];
type SeekRequest = Parameters<NonNullable<StreamRequestHandlers['seek']>>[0];

/**
 * How the connection answers publish, play and the rest. A class, not an object of closures: the
 * session calls these as its methods, and an idle server holds one per connection.
 */
class ConnectionRequests implements StreamRequestHandlers {
  constructor(
    private readonly context: ServerContext,
    private readonly connection: ServerConnection,
  ) {}

  publish(request: PublishRequest): Promise<void> {
    return handlePublish(this.context, this.connection, request);
  }

  play(request: PlayRequest): Promise<void | PlayAccept> {
    return handlePlay(this.context, this.connection, request);
  }

  async pause({ stream, paused, positionMs }: PauseRequest): Promise<void> {
    await this.connection.plays.get(stream)?.handle?.pause?.(paused, positionMs);
  }

  async seek({ stream, positionMs }: SeekRequest): Promise<void> {
    await this.connection.plays.get(stream)?.handle?.seek?.(positionMs);
  }

  async play2({ stream, options }: Play2Request): Promise<void> {
    const handle = this.connection.plays.get(stream)?.handle;
    if (!handle?.play2) throw new StreamRejectedError('NetStream.Play.Failed', 'play2 is not supported for this stream.');
    await handle.play2(options);
  }

  async getStreamLength(name: string): Promise<number> {
    const bare = name.split('?')[0]!;
    for (const source of this.context.sources) {
      const seconds = await source.streamLength?.(this.connection.client.app, bare);
      if (seconds !== undefined) return seconds;
    }
    return 0;
  }

  end(event: StreamEndEvent): void {
    streamEnded(this.context, this.connection, event);
  }
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
  const connection = new ServerConnection(id, session, client, context.log);
  context.connections.add(connection);
  context.counters.connections++;
  session.onStreamRequest(new ConnectionRequests(context, connection));
  if (infoEnabled(context)) connection.log.info({ flashVer: incoming.connectInfo.flashVer }, 'connected');
  context.events.emit('connect', { session: connection.info() });

  void session.closed.then(() => {
    context.connections.delete(connection);
    context.counters.bytesOut += connection.bytesOut;
    const error = session.closeError;
    if (infoEnabled(context)) connection.log.info({ err: error }, 'disconnected');
    context.events.emit('disconnect', { session: connection.info(), ...(error ? { error: error.message } : {}) });
  });
}
