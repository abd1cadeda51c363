import {
  ServerHandshake,
  statusInfo,
  type HandshakeDriver,
  type Listener,
  type ListenOptions,
  type NetStream,
  type PlayRequest,
  type RtmpMessage,
  type Session,
  type SessionState,
  type StreamEndEvent,
} from '@rtmpkit/core';
import { rtmp } from '../../src/index.js';

/** One publish the server took, and everything that came with it. */
export interface PublishRecord {
  name: string;
  type: string;
  stream: NetStream;
  /** Copies of the messages, in arrival order. */
  messages: RtmpMessage[];
  /** Resolves when the media iterator ended (with the error it ended with, if any). */
  done: Promise<Error | undefined>;
  /** The `end` event the session gave for this publish, and the session state at that moment. */
  end?: StreamEndEvent;
  sessionStateAtEnd?: SessionState;
}

/** One accepted connection. */
export interface SessionRecord {
  session: Session;
  /** Adobe left-over commands the client called, in order (releaseStream, FCPublish, FCUnpublish, FCSubscribe). */
  commands: Array<{ name: string; args: unknown[] }>;
  publishes: PublishRecord[];
  plays: PlayRequest[];
}

export interface TestServerOptions {
  listen?: Omit<ListenOptions, 'host' | 'port' | 'handshake'>;
  /** Builds each connection's handshake (default: core's `ServerHandshake`); every one is kept in `handshakes`. */
  handshake?: () => HandshakeDriver;
  /** Answers a play (default: refused). Runs after the play was recorded. */
  play?(request: PlayRequest, record: SessionRecord): void | Promise<void>;
  /** Told about connections that failed before `connect`. */
  onConnectionError?(error: unknown, remote: { address?: string; port?: number }): void;
}

export interface TestServer {
  listener: Listener;
  port: number;
  url(path: string): string;
  /** Accepted sessions, in the order they connected. */
  records: SessionRecord[];
  /** Every handshake driver made, in the order the connections arrived. */
  handshakes: HandshakeDriver[];
  /** Resolves with the first accepted session `match` likes (now or later). */
  waitForSession(match: (record: SessionRecord) => boolean, timeoutMs?: number): Promise<SessionRecord>;
  close(): Promise<void>;
}

const LEFT_OVERS = ['releaseStream', 'FCPublish', 'FCUnpublish', 'FCSubscribe'] as const;

/**
 * A listener on 127.0.0.1 (free port) that accepts every connection, records the commands and
 * what publishers send, and answers plays with `options.play`.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const handshakes: HandshakeDriver[] = [];
  const makeHandshake = options.handshake ?? (() => new ServerHandshake());
  const transport = rtmp({ onConnectionError: options.onConnectionError });
  const listener = await transport.listen({
    ...options.listen,
    host: '127.0.0.1',
    port: 0,
    handshake: () => {
      const driver = makeHandshake();
      handshakes.push(driver);
      return driver;
    },
  });
  const records: SessionRecord[] = [];
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  const loop = (async () => {
    for await (const incoming of listener) {
      let session: Session;
      try {
        session = await incoming.accept();
      } catch {
        continue;
      }
      const record: SessionRecord = { session, commands: [], publishes: [], plays: [] };
      for (const name of LEFT_OVERS) {
        session.handle(name, (args, context) => {
          record.commands.push({ name, args });
          // Same answers as the session's built-in ones: an empty _result, and onFC* for the FC calls.
          const code = { FCPublish: 'NetStream.Publish.Start', FCUnpublish: 'NetStream.Unpublish.Success', FCSubscribe: 'NetStream.Play.Start' }[name as string];
          if (code) void context.session.notify(`on${name}`, [statusInfo('status', code, String(args[0] ?? ''))]).catch(() => {});
        });
      }
      session.onStreamRequest({
        publish({ stream, name, type }) {
          const publish: PublishRecord = { name, type, stream, messages: [], done: Promise.resolve(undefined) };
          publish.done = (async () => {
            try {
              for await (const message of stream) publish.messages.push({ ...message, payload: Buffer.from(message.payload) });
              return undefined;
            } catch (error) {
              return error as Error;
            }
          })();
          record.publishes.push(publish);
          changed();
        },
        async play(request) {
          record.plays.push(request);
          changed();
          if (!options.play) throw Object.assign(new Error(`${request.name} is not available.`), { statusCode: 'NetStream.Play.StreamNotFound' });
          await options.play(request, record);
        },
        end(event) {
          const publish = record.publishes.find((candidate) => candidate.stream === event.stream && !candidate.end);
          if (publish) {
            publish.end = event;
            publish.sessionStateAtEnd = session.state;
          }
          changed();
        },
      });
      records.push(record);
      changed();
    }
  })();

  const port = listener.address.port;
  return {
    listener,
    port,
    url: (path) => `rtmp://127.0.0.1:${port}/${path}`,
    records,
    handshakes,
    waitForSession(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = records.find(match);
          if (!found) return false;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const waiter = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no such session in ${timeoutMs} ms (apps: ${records.map((r) => r.session.connectInfo.app).join(', ')})`));
        }, timeoutMs);
        if (!check()) waiters.add(waiter);
      });
    },
    async close() {
      await listener.close();
      await Promise.all(records.map((record) => record.session.close().catch(() => {})));
      await loop;
    },
  };
}
