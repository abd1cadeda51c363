import type { IncomingSession, Listener, TransportScheme } from '@rtmpkit/core';
import type { Logger } from 'pino';
import { listenError } from './errors.js';
import type { TransportConfig } from './server-options.js';

/** A transport that listens, and the loop taking its connections. */
export interface RunningListener {
  scheme: TransportScheme;
  listener: Listener;
  /** Settles when the listener stopped yielding connections. */
  loop: Promise<void>;
}

/**
 * Starts every transport; resolves once all listen. If one fails, the others are closed again
 * and the first failure is thrown as a `ServerListenError` (which port, what to do).
 */
export async function startListeners(
  transports: TransportConfig[],
  onIncoming: (incoming: IncomingSession, scheme: TransportScheme) => void,
  log: Logger,
): Promise<RunningListener[]> {
  const results = await Promise.allSettled(transports.map(({ transport, listen }) => transport.listen(listen)));
  const failed = results.findIndex((result) => result.status === 'rejected');
  if (failed >= 0) {
    await Promise.all(
      results.map((result) => (result.status === 'fulfilled' ? result.value.close().catch(() => {}) : Promise.resolve())),
    );
    const { transport, listen } = transports[failed]!;
    throw listenError(transport.scheme, listen?.host, listen?.port, (results[failed] as PromiseRejectedResult).reason);
  }
  return results.map((result, index) => {
    const listener = (result as PromiseFulfilledResult<Listener>).value;
    const scheme = transports[index]!.transport.scheme;
    const loop = (async () => {
      try {
        for await (const incoming of listener) onIncoming(incoming, incoming.scheme);
      } catch (error) {
        log.error({ err: error, scheme }, 'listener failed');
      }
    })();
    return { scheme, listener, loop };
  });
}
