import type { ConnectOptions, IncomingSession, Listener, Session } from '@rtmpkit/core';
import type { ComplianceSetup } from './setup.js';

/** What the test's server does with each incoming connection. */
export type IncomingHandler = (incoming: IncomingSession) => Promise<Session | void> | Session | void;

export interface RunningServer {
  listener: Listener;
  /** Server-side sessions accepted so far, in order. */
  sessions: Session[];
  /** Resolves with the n-th accepted server session (0-based). */
  session(index: number): Promise<Session>;
  url(app?: string): string;
  /** Connects a client (closed again by `close()`). */
  connect(app?: string, options?: ConnectOptions): Promise<Session>;
  close(): Promise<void>;
}

/** Listens with the setup's server transport and runs `handler` for every connection. */
export async function startServer(setup: ComplianceSetup, handler: IncomingHandler = (incoming) => incoming.accept()): Promise<RunningServer> {
  const listener = await setup.server().listen(setup.listenOptions ?? { host: '127.0.0.1', port: 0 });
  const sessions: Session[] = [];
  const waiters: Array<{ index: number; resolve: (session: Session) => void }> = [];
  const loop = (async () => {
    for await (const incoming of listener) {
      void Promise.resolve(handler(incoming)).then(
        (session) => {
          if (!session) return;
          sessions.push(session);
          for (const waiter of waiters.filter((w) => w.index < sessions.length)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(sessions[waiter.index]!);
          }
        },
        () => {},
      );
    }
  })();
  const clients: Session[] = [];
  return {
    listener,
    sessions,
    session(index) {
      if (sessions[index]) return Promise.resolve(sessions[index]);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
    url: (app = 'live') => setup.url(listener, app),
    async connect(app = 'live', options) {
      const session = await setup.client().connect(setup.url(listener, app), options);
      clients.push(session);
      return session;
    },
    async close() {
      await Promise.all(sessions.map((session) => session.close().catch(() => {})));
      await Promise.all(clients.map((session) => session.close().catch(() => {})));
      await listener.close();
      await loop;
    },
  };
}

/** Collects `count` media messages from an async iterable (with a deadline, so a bug fails instead of hanging). */
export async function take<T>(source: AsyncIterable<T>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const items: T[] = [];
  if (count === 0) return items;
  const iterator = source[Symbol.asyncIterator]();
  const deadline = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${items.length} of ${count} items arrived in ${timeoutMs} ms`)), timeoutMs);
    timer.unref?.();
  });
  while (items.length < count) {
    const next = await Promise.race([iterator.next(), deadline]);
    if (next.done) throw new Error(`the stream ended after ${items.length} of ${count} items`);
    items.push(next.value);
  }
  return items;
}

/** A deterministic payload: `length` bytes derived from `seed`, so corruption shows. */
export function patternBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}
