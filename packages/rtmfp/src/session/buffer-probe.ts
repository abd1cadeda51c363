import type { SendFlow } from '../flow/send-flow.js';

/** The persist timer: first probe after 1 s, then √2 longer each time, at most 60 s apart. */
export const PROBE = { firstMs: 1000, maxMs: 60_000 } as const;

/**
 * Runs a flow's persist timer (RFC 7016 §3.6.2.5): while the receiver's window is closed and data
 * waits, a Buffer Probe is due every interval; once the window opens the timer resets. True
 * when a probe should go out now.
 */
export function probeDue(flow: SendFlow, now: number): boolean {
  if (!flow.windowClosed) {
    flow.probeAt = undefined;
    flow.probeInterval = PROBE.firstMs;
    return false;
  }
  if (flow.probeAt === undefined) {
    flow.probeAt = now + flow.probeInterval;
    return false;
  }
  if (now < flow.probeAt) return false;
  flow.probeInterval = Math.min(flow.probeInterval * Math.SQRT2, PROBE.maxMs);
  flow.probeAt = now + flow.probeInterval;
  return true;
}
