import type { ListenOptions, Session } from '@rtmpkit/core';
import { rtmps, type RtmpsListener, type RtmpsLogEntry, type RtmpsTransportOptions } from '../../src/index.js';

export interface EchoServer {
  listener: RtmpsListener;
  port: number;
  /** `rtmps://127.0.0.1:PORT/live`. */
  url: string;
  sessions: Session[];
  /** What `onConnectionError` was told. */
  connectionErrors: Array<{ error: unknown; port?: number }>;
  /** What the listener logged. */
  logs: RtmpsLogEntry[];
  close(): Promise<void>;
}

/**
 * An RTMPS listener on 127.0.0.1 that accepts every connection and answers `echo` with its
 * arguments; it records connection errors and log entries.
 */
export async function startEchoServer(options: RtmpsTransportOptions, listen: Omit<ListenOptions, 'host' | 'port'> = {}): Promise<EchoServer> {
  const connectionErrors: EchoServer['connectionErrors'] = [];
  const logs: RtmpsLogEntry[] = [];
  const transport = rtmps({
    ...options,
    onConnectionError: (error, remote) => connectionErrors.push({ error, port: remote.port }),
    log: (entry) => logs.push(entry),
  });
  const listener = await transport.listen({ timeouts: { handshake: 3000 }, ...listen, host: '127.0.0.1', port: 0 });
  const sessions: Session[] = [];
  const loop = (async () => {
    for await (const incoming of listener) {
      const session = await incoming.accept().catch(() => undefined);
      if (!session) continue;
      session.handle('echo', (args) => args[0] ?? null);
      sessions.push(session);
    }
  })();
  return {
    listener,
    port: listener.address.port,
    url: `rtmps://127.0.0.1:${listener.address.port}/live`,
    sessions,
    connectionErrors,
    logs,
    async close() {
      await listener.close();
      await Promise.all(sessions.map((session) => session.close().catch(() => {})));
      await loop;
    },
  };
}

/** Calls `echo` with `value` and returns what came back. */
export async function echo(session: Session, value: string): Promise<unknown> {
  const result = await session.call('echo', [value], { timeout: 5000 });
  return result.args[0];
}
