import type { PublishType } from '@rtmpkit/core';
import type { PublisherInfo, SinkStats } from '../live/live-types.js';
import type { UnpublishReason } from '../live/publication.js';
import type { SessionInfo } from '../stats/stats-types.js';

/** Everything the server announces, by event name. Payloads are plain data (safe to log or serialize). */
export interface ServerEventMap {
  /** A transport listens. */
  listening: { scheme: string; address: string; port: number };
  /** A connection was accepted (after `onConnect`). */
  connect: { session: SessionInfo };
  /** A connection was refused at `connect`. */
  reject: { remote: string; scheme: string; app: string; reason: string };
  /** An accepted connection closed; `error` is set when it did not close in order. */
  disconnect: { session: SessionInfo; error?: string };
  /** A publish started (`takeover`: it replaced a live publisher). */
  publish: { app: string; name: string; type: PublishType | 'external'; publisher: PublisherInfo; takeover: boolean };
  /** A publish ended. */
  unpublish: { app: string; name: string; publisher: PublisherInfo; reason: UnpublishReason };
  /** A play started: `source` is `live` or the name of the `PlaySource` serving it. */
  play: { app: string; name: string; sessionId: string; source: string };
  /** A play ended. */
  playStop: { app: string; name: string; sessionId: string; source: string };
  /** A publish or play was refused (auth, bad name, limits). */
  denied: { action: 'publish' | 'play'; app: string; name: string; sessionId: string; code: string; reason: string };
  /** A player fell too far behind and was disconnected. */
  slowPlayer: { app: string; name: string; sessionId: string; reason: string; stats: SinkStats };
}

/** The name of a server event. */
export type ServerEventName = keyof ServerEventMap;
type Listener<K extends ServerEventName> = (event: ServerEventMap[K]) => void;

/**
 * A small typed event emitter. A listener that throws is reported to `onListenerError` and never
 * disturbs the server or the other listeners.
 */
export class ServerEvents {
  private readonly listeners = new Map<ServerEventName, Set<(event: never) => void>>();

  constructor(private readonly onListenerError: (event: ServerEventName, error: unknown) => void) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends ServerEventName>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  /** Like `on`, for one event. */
  once<K extends ServerEventName>(event: K, listener: Listener<K>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  emit<K extends ServerEventName>(event: K, payload: ServerEventMap[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
