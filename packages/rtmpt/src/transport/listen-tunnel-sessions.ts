import type { Listener } from '@rtmpkit/core';
import { startHttpFront, type HttpFrontOptions } from '../server/http-front.js';
import type { TunnelSessionHandler } from './tunnel-session-handler.js';

/**
 * Puts a tunnel session handler on a standalone HTTP (or, with `tls`, HTTPS) server and returns
 * it as a core `Listener`: iterate it for incoming sessions; `close()` refuses those not yet taken,
 * closes every tunnel, then the server. Paths that are not RTMPT get 404. If the server cannot
 * listen, the handler is closed and the error thrown.
 */
export async function listenTunnelSessions(handler: TunnelSessionHandler, options: HttpFrontOptions): Promise<Listener> {
  const front = await startHttpFront(options, (request, response) => handler.handleRequest(request, response)).catch(async (error: unknown) => {
    await handler.close();
    throw error;
  });
  const { address } = front;
  return {
    address: { address: address.address, port: address.port, family: address.family },
    [Symbol.asyncIterator]: () => handler[Symbol.asyncIterator](),
    async close() {
      await handler.close();
      await front.close();
    },
  };
}
