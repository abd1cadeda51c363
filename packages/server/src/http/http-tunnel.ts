import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingSession, Listener, Session, Transport, TransportScheme } from '@rtmpkit/core';
import { AsyncQueue } from '@rtmpkit/rtmp';
import type { TunnelSessionHandler, TunnelSettings } from '@rtmpkit/rtmpt';
import type { Logger } from 'pino';
import type { TransportConfig } from '../server/server-options.js';

/** Sessions that reached `connect` and wait for the server to take them, per scheme. */
const MAX_PENDING = 128;

type TunnelScheme = 'rtmpt' | 'rtmpte';

/**
 * RTMPT (and RTMPTE) on the HTTP plugin's port. The tunnel handler (from `@rtmpkit/rtmpt`, or
 * `@rtmpkit/rtmpe` for RTMPTE with plain RTMPT beside it) is mounted on the plugin's HTTP server;
 * its sessions reach the media server through one `Transport` per scheme (`transports`), whose
 * `listen()` hands out the sessions of that scheme — so the API and metrics tell RTMPT and
 * RTMPTE apart. Tunnel requests are answered only once a transport listens. The listen options
 * given to these transports are not used: the tunnel is where the HTTP plugin listens, with the
 * tunnel's own `tunnelSettings`.
 */
export class HttpTunnel {
  readonly transports: TransportConfig[];
  private handler: TunnelSessionHandler | undefined;
  private address: { address: string; port: number; family: string } | undefined;
  private readonly queues = new Map<TunnelScheme, AsyncQueue<IncomingSession>>();
  private pumping = false;
  private log: Logger | undefined;

  constructor(
    readonly mode: 'rtmpt' | 'rtmpte',
    private readonly settings: TunnelSettings,
  ) {
    const schemes: TunnelScheme[] = mode === 'rtmpte' ? ['rtmpt', 'rtmpte'] : ['rtmpt'];
    this.transports = schemes.map((scheme) => ({ transport: this.view(scheme), listen: {} }));
  }

  /** Makes the tunnel handler (loads its package) once the HTTP server listens at `address`. */
  async attach(address: { address: string; port: number; family: string }, log: Logger): Promise<void> {
    this.log = log;
    const onConnectionError = (error: unknown, remote: { address?: string; port?: number }): void =>
      log.debug({ err: error, remote: `${remote.address}:${remote.port}` }, 'tunnel session failed before connect');
    if (this.mode === 'rtmpte') {
      const { createRtmpteHandler } = await import('@rtmpkit/rtmpe');
      this.handler = createRtmpteHandler({ server: { acceptPlain: true }, tunnel: this.settings, onConnectionError });
    } else {
      const { createRtmptHandler } = await import('@rtmpkit/rtmpt');
      this.handler = createRtmptHandler({ tunnel: this.settings, onConnectionError });
    }
    this.address = address;
  }

  /** Serves a tunnel request (`/open`, `/send`, `/idle`, `/close`, `/fcs`); false when it is not one, or nobody listens. */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.handler || this.queues.size === 0) return false;
    return this.handler.handleRequest(request, response);
  }

  /** Refuses waiting sessions and closes every tunnel (the HTTP server is the plugin's). */
  async close(): Promise<void> {
    for (const queue of this.queues.values()) queue.end();
    await this.handler?.close();
  }

  private view(scheme: TunnelScheme): Transport {
    return {
      scheme,
      connect(): Promise<Session> {
        return Promise.reject(new TypeError(`this ${scheme} transport only serves the HTTP plugin's tunnel; connect with ${scheme}() from @rtmpkit/${scheme === 'rtmpt' ? 'rtmpt' : 'rtmpe'}`));
      },
      listen: () => this.listen(scheme),
    };
  }

  private async listen(scheme: TunnelScheme): Promise<Listener> {
    const address = this.address;
    if (!this.handler || !address) {
      throw new Error(`${scheme} over HTTP needs the http() plugin: pass the same plugin in createServer({ plugins }) as its transports`);
    }
    if (this.queues.has(scheme)) throw new Error(`${scheme} over HTTP is listening already`);
    const queue = new AsyncQueue<IncomingSession>(MAX_PENDING);
    this.queues.set(scheme, queue);
    this.pump();
    return {
      address,
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      close: async () => {
        queue.end();
        if (this.queues.get(scheme) === queue) this.queues.delete(scheme);
        await Promise.all(queue.drain().map((incoming) => incoming.reject('server shutting down').catch(() => {})));
      },
    };
  }

  /** Hands each tunnel session to the listener of its scheme. */
  private pump(): void {
    const handler = this.handler;
    if (this.pumping || !handler) return;
    this.pumping = true;
    void (async () => {
      for await (const incoming of handler) {
        const queue = this.queues.get(incoming.scheme as TunnelScheme);
        if (!queue?.push(incoming)) void incoming.reject(queue ? 'server busy: too many connections waiting to be accepted' : `${incoming.scheme as TransportScheme} is not served here`).catch(() => {});
      }
    })().catch((error: unknown) => this.log?.error({ err: error }, 'tunnel session loop failed'));
  }
}
