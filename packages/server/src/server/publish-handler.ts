import { StreamRejectedError, statusInfo, type PublishRequest } from '@rtmpkit/core';
import type { Publication } from '../live/publication.js';
import type { ServerConnection } from './connection.js';
import type { ServerContext } from './context.js';
import { nameProblem, reasonOf, splitQuery } from './stream-names.js';

/** Refuses a publish: counted, announced, logged, and thrown for the session to answer. */
function deny(context: ServerContext, connection: ServerConnection, name: string, code: string, reason: string, error?: unknown): never {
  context.counters.deniedPublishes++;
  context.events.emit('denied', { action: 'publish', app: connection.client.app, name, sessionId: connection.id, code, reason });
  connection.log.info({ stream: name, code, reason, err: error }, 'publish refused');
  throw new StreamRejectedError(code, reason);
}

/** Reads the publisher's messages into its publication until the publish ends. */
async function pump(context: ServerContext, connection: ServerConnection, request: PublishRequest, publication: Publication): Promise<void> {
  try {
    for await (const message of request.stream) {
      const bytes = message.payload.length;
      connection.bytesIn += bytes;
      context.counters.bytesIn += bytes;
      publication.push(message);
    }
  } catch (error) {
    connection.log.debug({ err: error, stream: publication.name }, 'publisher stream failed');
  } finally {
    publication.end();
  }
}

/**
 * Answers a publish: name checks, signed URL and `onPublish`, then the hub (one publisher per
 * name, or takeover). The session sends `NetStream.Publish.Start` once this resolves, or the
 * error status this throws (`NetStream.Publish.BadName` / `Denied`).
 */
export async function handlePublish(context: ServerContext, connection: ServerConnection, request: PublishRequest): Promise<void> {
  const { app } = connection.client;
  const { name, query: streamQuery } = splitQuery(request.name);
  if (context.closing) deny(context, connection, name, 'NetStream.Publish.BadName', 'The server is shutting down.');
  const problem = nameProblem(name, context.options.maxNameLength, 'stream name');
  if (problem) deny(context, connection, name, 'NetStream.Publish.BadName', problem);
  const outcome = await context.auth.publish({ ...connection.client, name, streamQuery, type: request.type });
  if (!outcome.allow) deny(context, connection, name, outcome.code ?? 'NetStream.Publish.Denied', outcome.reason, outcome.error);
  if (request.stream.mode !== 'publishing' || connection.session.state !== 'connected') return;

  let publication: Publication;
  try {
    publication = context.hub.publish(app, name, { sessionId: connection.id, remote: connection.remote, scheme: connection.client.scheme, type: request.type }, {
      evicted: (reason) => {
        if (reason === 'shutdown') return; // the shutdown tells every connection itself
        const code = reason === 'idle' ? 'NetStream.Publish.Idle' : 'NetStream.Unpublish.Success';
        const description = reason === 'idle' ? `No media for ${name}: the publish timed out.` : `Another publisher took over ${name}.`;
        connection.log.info({ stream: name, reason }, 'publisher closed by the server');
        void request.stream.sendStatus(statusInfo('status', code, description, { details: name })).catch(() => {});
        void connection.session.close().catch(() => {});
      },
      notify: (info) => void request.stream.sendStatus(info).catch(() => {}),
    });
  } catch (error) {
    const code = (error as { statusCode?: string }).statusCode ?? 'NetStream.Publish.BadName';
    deny(context, connection, name, code, reasonOf(error), error);
  }
  connection.publishes.set(request.stream, { name, publication });
  connection.log.info({ stream: name, type: request.type }, 'publishing');
  void pump(context, connection, request, publication);
}
