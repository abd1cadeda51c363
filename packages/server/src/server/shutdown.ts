import { statusInfo } from '@rtmpkit/core';
import type { Logger } from 'pino';
import type { LiveHub } from '../live/live-hub.js';
import type { ServerConnection } from './connection.js';
import type { RunningListener } from './listeners.js';
import type { ServerPlugin } from './plugin.js';

/** How long (at most `timeoutMs`), after the listeners closed, the cut sessions get to report that they closed. */
const SETTLE_MS = 1000;

/** What a shutdown works through. */
export interface ShutdownParts {
  hub: LiveHub;
  connections: ReadonlySet<ServerConnection>;
  listeners: RunningListener[];
  plugins: ServerPlugin[];
  log: Logger;
}

/** Tells one client the server is going, then closes its connection in order. */
async function goodbye(connection: ServerConnection): Promise<void> {
  const info = statusInfo('status', 'NetConnection.Connect.AppShutdown', 'The server is shutting down.');
  await connection.session.notify('onStatus', [info]).catch(() => {});
  await connection.session.close().catch(() => {});
}

/**
 * Graceful shutdown, after the server stopped taking new connections, publishes and plays:
 * 1. publishers are evicted and every sink is closed (players get StreamEOF and
 *    `NetStream.Play.Stop`, recorders flush) — the goodbyes are written at once;
 * 2. every connection gets `NetConnection.Connect.AppShutdown` and is closed in order;
 * 3. plugins close;
 * all within `timeoutMs`. Then the listeners close, which cuts whatever is still connected.
 */
export async function shutdown(parts: ShutdownParts, timeoutMs: number): Promise<{ timedOut: boolean }> {
  const { hub, connections, listeners, plugins, log } = parts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const orderly = (async () => {
    const sinksClosed = hub.close('server shutting down');
    await Promise.all([sinksClosed, ...[...connections].map(goodbye)]);
    for (const plugin of plugins) {
      try {
        await plugin.close?.();
      } catch (error) {
        log.warn({ err: error, plugin: plugin.name }, 'plugin failed to close');
      }
    }
    return 'done' as const;
  })();
  const outcome = await Promise.race([orderly, deadline]);
  clearTimeout(timer);
  if (outcome === 'timeout') log.warn({ timeoutMs, open: connections.size }, 'shutdown timed out: cutting the remaining connections');
  await Promise.all(listeners.map(({ listener }) => listener.close().catch(() => {})));
  await Promise.all(listeners.map(({ loop }) => loop));
  // The listeners cut what was left; wait (briefly) until those sessions have noticed.
  const left = [...connections].map(({ session }) => session.closed);
  let settle: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.all(left), new Promise((resolve) => (settle = setTimeout(resolve, Math.min(SETTLE_MS, timeoutMs))))]);
  clearTimeout(settle);
  return { timedOut: outcome === 'timeout' };
}
