/** What every measurement gets: the input, the load generator, the options, and where to log. */
import type { FanoutInput } from './input.js';
import type { LoadGenerator } from './load-client.js';
import type { Target } from './load-protocol.js';
import { HOST, sleep } from './net-util.js';
import type { BoundedChild } from './children.js';
import { APP, STREAM } from './publisher.js';
import type { FanoutOptions } from './options.js';

export interface BenchContext {
  input: FanoutInput;
  loadgen: LoadGenerator;
  options: FanoutOptions;
  /** Longest life of one server or publisher process (they are stopped long before). */
  childMaxSeconds: number;
  log(line: string): void;
}

export function target(port: number, tls: boolean): Target {
  return { host: HOST, port, tls, app: APP, stream: STREAM };
}

/** Waits until a player gets a keyframe of the published stream (the publisher is up and flowing). */
export async function waitForStream(context: BenchContext, plain: Target, publisher: BoundedChild, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let errors: string[] = [];
  while (Date.now() < deadline) {
    if (publisher.exited()) throw new Error(`the ffmpeg publisher exited: ${publisher.output().trim() || '(no output)'}`);
    const probe = await context.loadgen.joins(plain, 1, 0, 3000);
    if (probe.ms[0] !== null) return;
    errors = probe.errors;
    await sleep(300);
  }
  throw new Error(`no keyframe from the stream after ${timeoutMs / 1000} s (${errors.join('; ') || 'no error'}); publisher: ${publisher.output().trim()}`);
}
