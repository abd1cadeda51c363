import type { ChunkDecoderOptions } from '../chunk/index.js';

/**
 * Deadlines of a session, in milliseconds. 0 turns one off. Every one that passes ends with a
 * `TimeoutError` naming it; all but `call` close the session (the channel is destroyed and
 * `closeError` is the `TimeoutError`). A call that times out only rejects that call.
 */
export interface SessionTimeouts {
  /** From the start until the handshake is over. Default 10 000. */
  handshake?: number;
  /**
   * From the start until `connect` is answered: client, until `NetConnection.Connect.Success`;
   * server, until the application called `accept()` or `reject()`. Default 15 000.
   */
  connect?: number;
  /** No byte received for this long (while the session is not holding the channel paused). Default 120 000. */
  idle?: number;
  /** Default wait for `_result`/`_error` of `call()`, and for the status that answers publish/play. Default 30 000. */
  call?: number;
  /** `close()`: how long to wait for the channel to flush and close before destroying it. Default 5 000. */
  close?: number;
}

/** The defaults of `SessionTimeouts`. */
export const DEFAULT_SESSION_TIMEOUTS: Readonly<Required<SessionTimeouts>> = Object.freeze({
  handshake: 10_000,
  connect: 15_000,
  idle: 120_000,
  call: 30_000,
  close: 5_000,
});

/**
 * Limits of one session. The chunk decoder's limits (`maxMessageSize`, `maxChunkStreams`, ...)
 * are passed through; the rest are the session's own. Past a limit the session closes with a
 * `LimitExceededError` naming the option, unless said otherwise.
 */
export interface SessionLimits extends Omit<ChunkDecoderOptions, 'chunkSize'> {
  /**
   * Bytes the channel may hold unsent (its `writableLength`) before another write fails the
   * session. `send()` waits for `drain` long before this; the limit stops writers that do not
   * await it. Default 16 MiB.
   */
  maxOutgoingBytes?: number;
  /**
   * Unread incoming media of one stream (payload bytes plus 64 per message) above which the
   * session pauses the channel, until the reader has taken it down to half. Default 1 MiB.
   */
  maxQueuedBytes?: number;
  /** NetStreams one connection may have at once (server: `createStream` past it gets `_error`). Default 64. */
  maxStreams?: number;
  /** Calls awaiting an answer at once; one more rejects with `LimitExceededError`. Default 1024. */
  maxPendingCalls?: number;
  /** Server: messages a client may send after `connect` before the application answered it. Default 64. */
  maxEarlyMessages?: number;
}

/** The defaults of the session's own limits (the chunk decoder's are in `CHUNK_DECODER_DEFAULTS`). */
export const DEFAULT_SESSION_LIMITS = Object.freeze({
  maxOutgoingBytes: 16 * 1024 * 1024,
  maxQueuedBytes: 1024 * 1024,
  maxStreams: 64,
  maxPendingCalls: 1024,
  maxEarlyMessages: 64,
});

/** Settings both roles take (through `ConnectOptions` and `ListenOptions` as well). */
export interface SessionTuning {
  timeouts?: SessionTimeouts;
  limits?: SessionLimits;
  /**
   * Outgoing chunk size announced with Set Chunk Size: by the client right after
   * `NetConnection.Connect.Success`, by the server in `accept()`. Default 4096 (nginx's).
   * 128 sends no Set Chunk Size at all.
   */
  chunkSize?: number;
  /**
   * Server: the Window Acknowledgement Size and Set Peer Bandwidth sent in `accept()`. Default
   * 2 500 000. (A client announces no window of its own; it answers Set Peer Bandwidth with the
   * window it was given, as the spec says.)
   */
  windowAckSize?: number;
  /** Interval of PingRequest, in ms; 0 = none. Default: 30 000 on the server, 0 on the client. */
  pingInterval?: number;
  /**
   * Chunk stream ids used for sending stay at or below this (at least 6). Default 31: nginx-rtmp
   * drops clients that use higher ones. Many streams then share chunk streams, which is legal.
   */
  maxChunkStreamId?: number;
}

export interface ResolvedTuning {
  timeouts: Required<SessionTimeouts>;
  limits: SessionLimits & typeof DEFAULT_SESSION_LIMITS;
  chunkSize: number;
  windowAckSize: number;
  pingInterval: number;
  maxChunkStreamId: number;
}

function checkNonNegative(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Fills in defaults and checks every value (RangeError: options come from local code). */
export function resolveTuning(tuning: SessionTuning, role: 'client' | 'server'): ResolvedTuning {
  const timeouts = { ...DEFAULT_SESSION_TIMEOUTS } as Required<SessionTimeouts>;
  for (const [key, value] of Object.entries(tuning.timeouts ?? {})) {
    if (value !== undefined) (timeouts as Record<string, number>)[key] = checkNonNegative(`timeouts.${key}`, value);
  }
  const limits = { ...DEFAULT_SESSION_LIMITS, ...dropUndefined(tuning.limits ?? {}) } as ResolvedTuning['limits'];
  for (const key of Object.keys(DEFAULT_SESSION_LIMITS) as (keyof typeof DEFAULT_SESSION_LIMITS)[]) {
    checkNonNegative(`limits.${key}`, limits[key]);
  }
  const chunkSize = tuning.chunkSize ?? 4096;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 0x7fffffff) {
    throw new RangeError(`chunkSize must be an integer in 1..2^31-1, got ${String(chunkSize)}`);
  }
  const windowAckSize = checkNonNegative('windowAckSize', tuning.windowAckSize ?? 2_500_000);
  if (windowAckSize > 0xffffffff || windowAckSize === 0) {
    throw new RangeError(`windowAckSize must be in 1..2^32-1, got ${windowAckSize}`);
  }
  const pingInterval = checkNonNegative('pingInterval', tuning.pingInterval ?? (role === 'server' ? 30_000 : 0));
  const maxChunkStreamId = tuning.maxChunkStreamId ?? 31;
  if (!Number.isInteger(maxChunkStreamId) || maxChunkStreamId < 6 || maxChunkStreamId > 65599) {
    throw new RangeError(`maxChunkStreamId must be an integer in 6..65599, got ${String(maxChunkStreamId)}`);
  }
  return shared({ timeouts, limits, chunkSize, windowAckSize, pingInterval, maxChunkStreamId }, role);
}

/** The last tuning resolved per role: sessions made with the same settings share one frozen copy. */
const lastResolved: { client?: ResolvedTuning; server?: ResolvedTuning } = {};

function sameValues(a: object, b: object): boolean {
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}

/**
 * A server holds one session per connection, each with its tuning: equal tunings (the usual
 * case, every connection of a listener) are one object, frozen since it is shared.
 */
function shared(tuning: ResolvedTuning, role: 'client' | 'server'): ResolvedTuning {
  const last = lastResolved[role];
  if (
    last !== undefined &&
    last.chunkSize === tuning.chunkSize &&
    last.windowAckSize === tuning.windowAckSize &&
    last.pingInterval === tuning.pingInterval &&
    last.maxChunkStreamId === tuning.maxChunkStreamId &&
    sameValues(last.timeouts, tuning.timeouts) &&
    sameValues(last.limits, tuning.limits)
  ) {
    return last;
  }
  Object.freeze(tuning.timeouts);
  Object.freeze(tuning.limits);
  lastResolved[role] = Object.freeze(tuning);
  return tuning;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
