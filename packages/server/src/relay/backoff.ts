import { setTimeout as sleep } from 'node:timers/promises';

/** How a relay waits between attempts to reach the other server. */
export interface BackoffOptions {
  /** The first wait, in ms. Default 500. */
  initialDelayMs?: number;
  /** The longest wait, in ms. Default 10 000. */
  maxDelayMs?: number;
  /** Each wait is this many times the one before. Default 2. */
  factor?: number;
  /** Attempts in a row that may fail before the relay gives up (0 = never gives up). Default 0. */
  maxAttempts?: number;
}

export const BACKOFF_DEFAULTS = Object.freeze({ initialDelayMs: 500, maxDelayMs: 10_000, factor: 2, maxAttempts: 0 });

/** `BackoffOptions` with the defaults in place (RangeError for values that make no sense). */
export function resolveBackoff(options: BackoffOptions = {}): Required<BackoffOptions> {
  const resolved = { ...BACKOFF_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) };
  for (const key of ['initialDelayMs', 'maxDelayMs', 'maxAttempts'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 0) throw new RangeError(`relay: reconnect.${key} must be a non-negative integer, got ${String(resolved[key])}`);
  }
  if (!(resolved.factor >= 1)) throw new RangeError(`relay: reconnect.factor must be at least 1, got ${String(resolved.factor)}`);
  return resolved;
}

/** The wait before attempt `failures + 1`: exponential, capped, with ±20 % jitter so relays do not retry in step. */
export function backoffDelay(failures: number, options: Required<BackoffOptions>): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Waits `ms`; resolves false (instead of throwing) when `signal` aborts first. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
