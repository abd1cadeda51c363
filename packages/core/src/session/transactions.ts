import { AbortedError, LimitExceededError, TimeoutError } from '../errors/index.js';
import type { CallResult } from './session-types.js';

interface Pending {
  name: string;
  resolve(result: CallResult): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  cleanup: (() => void) | undefined;
}

/**
 * Transaction ids and the calls waiting for `_result`/`_error`. Ids count up from 1 (the first
 * one is `connect`'s), as FFmpeg and librtmp do; the peer may use any ids of its own. A call that
 * timed out or was aborted is forgotten, so a late answer to it is ignored.
 */
export class Transactions {
  private next = 1;
  /** Made on the first call: most server sessions never call their client. */
  private pending: Map<number, Pending> | undefined;

  constructor(private readonly maxPending: number) {}

  /** The next transaction id (never 0, which means "no answer expected"). */
  nextId(): number {
    const id = this.next;
    this.next = this.next >= 0x7fffffff ? 1 : this.next + 1;
    return id;
  }

  get size(): number {
    return this.pending?.size ?? 0;
  }

  /**
   * Waits for the answer to transaction `id`. Rejects with `TimeoutError` after `timeoutMs`
   * (0 = never), with `AbortedError` when `signal` aborts, and with `LimitExceededError` when
   * too many calls wait already.
   */
  wait(id: number, name: string, timeoutMs: number, signal?: AbortSignal): Promise<CallResult> {
    if (signal?.aborted) return Promise.reject(new AbortedError(`${name} was aborted`, { cause: signal.reason }));
    if (this.size >= this.maxPending) {
      return Promise.reject(new LimitExceededError('maxPendingCalls', this.maxPending, `one more call (${name}) awaiting an answer`));
    }
    return new Promise<CallResult>((resolve, reject) => {
      const entry: Pending = { name, resolve, reject, timer: undefined, cleanup: undefined };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.settle(id)?.reject(new TimeoutError('call', timeoutMs, `${name}: no answer in ${timeoutMs} ms`));
        }, timeoutMs);
      }
      if (signal) {
        const onAbort = (): void => {
          this.settle(id)?.reject(new AbortedError(`${name} was aborted`, { cause: signal.reason }));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      (this.pending ??= new Map()).set(id, entry);
    });
  }

  /** Removes a waiting call and its timer; undefined when nothing waits on `id`. */
  private settle(id: number): Pending | undefined {
    const entry = this.pending?.get(id);
    if (entry === undefined) return undefined;
    this.pending!.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.cleanup?.();
    return entry;
  }

  /** The name of the call waiting on `id`, if any. */
  nameOf(id: number): string | undefined {
    return this.pending?.get(id)?.name;
  }

  /** Delivers `_result`; false when nothing waits on `id` (a late or unknown answer). */
  resolve(id: number, result: CallResult): boolean {
    const entry = this.settle(id);
    entry?.resolve(result);
    return entry !== undefined;
  }

  /** Delivers `_error` as `makeError(name)`; false when nothing waits on `id`. */
  reject(id: number, makeError: (name: string) => Error): boolean {
    const entry = this.settle(id);
    entry?.reject(makeError(entry.name));
    return entry !== undefined;
  }

  /** Rejects every waiting call (the session closed). */
  rejectAll(makeError: (name: string) => Error): void {
    if (this.pending) for (const id of [...this.pending.keys()]) this.reject(id, makeError);
  }
}
