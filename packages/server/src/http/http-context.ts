import type { Logger } from 'pino';
import type { RtmpServer } from '../server/rtmp-server.js';
import type { FlvPlayers } from './flv-players.js';
import type { ResolvedHttpOptions } from './http-options.js';

/** What the HTTP routes share. */
export interface HttpContext {
  readonly server: RtmpServer;
  readonly options: ResolvedHttpOptions;
  readonly players: FlvPlayers;
  readonly log: Logger;
  /** `@rtmpkit/server`'s version, for `/api/server` and the dashboard. */
  readonly version: string;
}
