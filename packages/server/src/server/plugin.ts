import type { RtmpServer } from './rtmp-server.js';

/**
 * An extension set up with the server: recording, HTTP-FLV, the JSON API and metrics, relays.
 * `setup` runs in `start()` before the transports listen (a plugin that listens itself, such as
 * an HTTP server, does so there; a throw fails `start()`); it may use `server.on(…)`,
 * `server.live.subscribe(…)` / `server.live.publish(…)` and `server.addPlaySource(…)`.
 * `close` runs in `close()` after players and publishers were told and sinks flushed, within
 * the shutdown timeout.
 */
export interface ServerPlugin {
  readonly name: string;
  setup?(server: RtmpServer): void | Promise<void>;
  close?(): void | Promise<void>;
}
