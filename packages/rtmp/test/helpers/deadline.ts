import type { Session } from '@rtmpkit/core';

/** `promise`, or a rejection naming `what` after `ms` (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (at most `ms`) for a session to close and returns its `closeError`. */
export async function closeErrorOf(session: Session, ms = 3000): Promise<Error | undefined> {
  await within(session.closed, ms, `session of app "${session.connectInfo.app}" still ${session.state}`);
  return session.closeError;
}
