import type { Logger } from 'pino';
import type { Authorizer } from '../auth/authorizer.js';
import type { LiveHub } from '../live/live-hub.js';
import type { PlaySource } from '../play/play-sources.js';
import type { ServerCounters } from '../stats/stats-types.js';
import type { ServerConnection } from './connection.js';
import type { ServerEvents } from './events.js';
import type { ResolvedServerOptions } from './server-options.js';

/** What the connection handlers share with the server. */
export interface ServerContext {
  readonly options: ResolvedServerOptions;
  readonly hub: LiveHub;
  readonly auth: Authorizer;
  readonly events: ServerEvents;
  readonly counters: ServerCounters;
  readonly log: Logger;
  readonly connections: Set<ServerConnection>;
  /** The play sources, in order (plugins may add to it). */
  readonly sources: PlaySource[];
  /** True once `close()` began: new connections, publishes and plays are refused. */
  readonly closing: boolean;
  nextSessionId(): string;
}
