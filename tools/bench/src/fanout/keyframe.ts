/**
 * Time to first keyframe: players join a running stream one after another (each closed once it
 * has its keyframe); for each, the time from the start of its TCP connect to the first video
 * keyframe message. The gap between joins (370 ms) is not a divisor of the 2 s GOP, so joins
 * land at different points of it.
 */
import { loadavg } from 'node:os';
import { target, waitForStream, type BenchContext } from './context.js';
import { sleep } from './net-util.js';
import { startPublisher } from './publisher.js';
import type { ServerUnderTest } from './servers/server.js';
import type { BoundedChild } from './children.js';

export interface KeyframeRow {
  server: ServerUnderTest;
  joins: number;
  /** ms of the joins that got a keyframe within 10 s, in order. */
  ms: number[];
  errors: string[];
  load1: number;
}

export const JOIN_GAP_MS = 370;

export async function measureKeyframes(context: BenchContext, server: ServerUnderTest): Promise<KeyframeRow> {
  const load1 = loadavg()[0]!;
  const running = await server.start(context.childMaxSeconds);
  let publisher: BoundedChild | undefined;
  try {
    publisher = startPublisher(context.input.path, running.rtmpPort, context.childMaxSeconds);
    const plain = target(running.rtmpPort, false);
    await waitForStream(context, plain, publisher);
    await sleep(2000);
    context.log(`  ${server.label}: ${context.options.joins} joins, ${JOIN_GAP_MS} ms apart`);
    const result = await context.loadgen.joins(plain, context.options.joins, JOIN_GAP_MS, 10_000);
    return { server, joins: context.options.joins, ms: result.ms.filter((ms): ms is number => ms !== null), errors: result.errors, load1 };
  } finally {
    await publisher?.stop();
    await running.stop();
  }
}
