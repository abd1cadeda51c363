/** Milliseconds per timestamp tick: RTMFP timestamps count at 250 Hz (RFC 7016 §2.2.4). */
export const TIMESTAMP_TICK_MS = 4;

/** The 16-bit timestamp for a clock reading in milliseconds (any origin). */
export function timestampAt(ms: number): number {
  return Math.floor(ms / TIMESTAMP_TICK_MS) & 0xffff;
}

/**
 * The echo to send: the peer's last timestamp plus the ticks elapsed since it arrived, mod 2^16.
 * The caller stops echoing 128 s after the last timestamp arrived (the counter would wrap).
 */
export function timestampEcho(lastReceived: number, msSinceReceived: number): number {
  return (lastReceived + Math.floor(msSinceReceived / TIMESTAMP_TICK_MS)) & 0xffff;
}

/**
 * The round trip an echo reveals, in ms: `(now − echo) mod 2^16` ticks. Differences of half the
 * range or more are ambiguous and give `undefined`.
 */
export function roundTripFromEcho(nowTimestamp: number, echo: number): number | undefined {
  const ticks = (nowTimestamp - echo) & 0xffff;
  return ticks >= 0x8000 ? undefined : ticks * TIMESTAMP_TICK_MS;
}
