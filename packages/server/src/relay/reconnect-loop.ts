import { backoffDelay, pause, type BackoffOptions } from './backoff.js';

/** What `reconnectLoop` runs. */
export interface ReconnectLoopOptions {
  /** Aborting ends the loop (the attempt in progress should watch it too). */
  signal: AbortSignal;
  backoff: Required<BackoffOptions>;
  /**
   * One connection, from connecting until it ends: resolves when it ended (the other side closed
   * it), throws when it failed. It calls `connected()` once it is up, which resets the failure
   * count (so a connection that worked a while starts again from the first, short, wait).
   */
  attempt(connected: () => void): Promise<void>;
  /** An attempt failed or ended; `failures` is the count in a row. */
  onDown?(error: unknown, failures: number): void;
}

/**
 * Connects, and connects again with exponential backoff whenever the connection fails or ends,
 * until `signal` aborts (`'stopped'`) or `maxAttempts` failures in a row (`'gave up'`).
 */
export async function reconnectLoop(options: ReconnectLoopOptions): Promise<'stopped' | 'gave up'> {
  const { signal, backoff } = options;
  let failures = 0;
  while (!signal.aborted) {
    let error: unknown;
    try {
      await options.attempt(() => {
        failures = 0;
      });
    } catch (caught) {
      error = caught;
    }
    if (signal.aborted) break;
    failures++;
    options.onDown?.(error, failures);
    if (backoff.maxAttempts > 0 && failures >= backoff.maxAttempts) return 'gave up';
    if (!(await pause(backoffDelay(failures, backoff), signal))) break;
  }
  return 'stopped';
}
