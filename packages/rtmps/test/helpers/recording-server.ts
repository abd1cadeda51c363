import type { ListenOptions, NetStream, PlayRequest, RtmpMessage, Session } from '@rtmpkit/core';
import { rtmps, type RtmpsListener, type RtmpsTransportOptions } from '../../src/index.js';

/** One publish the server took: its name and copies of its messages. */
export interface PublishRecord {
  name: string;
  stream: NetStream;
  messages: RtmpMessage[];
  /** Resolves when the publish ended (with the error it ended with, if any). */
  done: Promise<Error | undefined>;
}

export interface RecordingServer {
  listener: RtmpsListener;
  port: number;
  url(path: string): string;
  sessions: Session[];
  publishes: PublishRecord[];
  /** Resolves with the publish of `name` once it started (rejects after `timeoutMs`). */
  publishOf(name: string, timeoutMs?: number): Promise<PublishRecord>;
  close(): Promise<void>;
}

/**
 * An RTMPS listener on 127.0.0.1 (free port) that accepts every connection, records what
 * publishers send, and answers plays with `play` (refused without it).
 */
export async function startRecordingServer(
  transport: RtmpsTransportOptions,
  options: { listen?: Omit<ListenOptions, 'host' | 'port'>; play?(request: PlayRequest): void | Promise<void> } = {},
): Promise<RecordingServer> {
  const listener = await rtmps(transport).listen({ ...options.listen, host: '127.0.0.1', port: 0 });
  const sessions: Session[] = [];
  const publishes: PublishRecord[] = [];
  const loop = (async () => {
    for await (const incoming of listener) {
      const session = await incoming.accept().catch(() => undefined);
      if (!session) continue;
      sessions.push(session);
      session.onStreamRequest({
        publish({ stream, name }) {
          const record: PublishRecord = { name, stream, messages: [], done: Promise.resolve(undefined) };
          record.done = (async () => {
            try {
              for await (const message of stream) record.messages.push({ ...message, payload: Buffer.from(message.payload) });
              return undefined;
            } catch (error) {
              return error as Error;
            }
          })();
          publishes.push(record);
        },
        play: options.play,
      });
    }
  })();
  const port = listener.address.port;
  return {
    listener,
    port,
    url: (path) => `rtmps://127.0.0.1:${port}/${path}`,
    sessions,
    publishes,
    async publishOf(name, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = publishes.find((record) => record.name === name);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no publish of "${name}" within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await listener.close();
      await Promise.all(sessions.map((session) => session.close().catch(() => {})));
      await loop;
    },
  };
}
