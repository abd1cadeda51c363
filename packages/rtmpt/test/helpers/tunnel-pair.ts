import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { listenTunnel, tunnelClientChannel, type TunnelChannel, type TunnelClientChannel, type TunnelClientOptions, type TunnelListener, type TunnelServerOptions } from '../../src/index.js';

/** A standalone tunnel server on loopback whose new channels a test can wait for. */
export interface TestTunnelServer {
  readonly listener: TunnelListener;
  readonly url: string;
  readonly port: number;
  /** The next channel the server opens (in /open order). */
  nextChannel(timeoutMs?: number): Promise<TunnelChannel>;
  /** Opens a client channel and waits for its server end. */
  openPair(options?: TunnelClientOptions): Promise<{ client: TunnelClientChannel; server: TunnelChannel }>;
  close(): Promise<void>;
}

/** Starts `listenTunnel` on 127.0.0.1 with a free port. */
export async function startTunnelServer(
  options: Partial<Omit<TunnelServerOptions, 'onChannel'>> & { tls?: HttpsServerOptions } = {},
): Promise<TestTunnelServer> {
  const opened: TunnelChannel[] = [];
  const takers: Array<(channel: TunnelChannel) => void> = [];
  const listener = await listenTunnel({
    ...options,
    host: '127.0.0.1',
    port: 0,
    onChannel(channel) {
      const taker = takers.shift();
      if (taker) taker(channel);
      else opened.push(channel);
    },
  });
  const port = listener.address.port;
  const url = `${options.tls ? 'rtmpts' : 'rtmpt'}://127.0.0.1:${port}/live`;
  const nextChannel = (timeoutMs = 5000) =>
    new Promise<TunnelChannel>((resolve, reject) => {
      const ready = opened.shift();
      if (ready) return resolve(ready);
      const timer = setTimeout(() => reject(new Error(`no tunnel opened in ${timeoutMs} ms`)), timeoutMs);
      takers.push((channel) => {
        clearTimeout(timer);
        resolve(channel);
      });
    });
  return {
    listener,
    url,
    port,
    nextChannel,
    async openPair(clientOptions = {}) {
      const [client, server] = await Promise.all([tunnelClientChannel(url, clientOptions), nextChannel()]);
      return { client, server };
    },
    close: () => listener.close(),
  };
}
