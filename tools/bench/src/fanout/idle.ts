/**
 * Memory per idle client: a fresh server with no stream; its RSS, then M clients that complete
 * the handshake and `connect` (the server answered `_result`) and then stay connected without
 * sending anything else; after they settle, the RSS again. (RSS delta) / (clients connected).
 */
import { loadavg } from 'node:os';
import { target, type BenchContext } from './context.js';
import { sleep } from './net-util.js';
import { sampleProcesses } from './proc-stats.js';
import type { ServerUnderTest } from './servers/server.js';

export interface IdleRow {
  server: ServerUnderTest;
  clients: number;
  connected: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  errors: string[];
  load1: number;
}

export const IDLE_SETTLE_MS = 5000;

export async function measureIdle(context: BenchContext, server: ServerUnderTest): Promise<IdleRow> {
  const load1 = loadavg()[0]!;
  const { clients } = context.options;
  const running = await server.start(context.childMaxSeconds);
  try {
    await sleep(1500);
    const before = sampleProcesses(running.pids());
    const group = await context.loadgen.connectIdle(target(running.rtmpPort, false), clients, context.options.rampPerSecond, 20_000);
    context.log(`  ${server.label}: ${group.reached}/${clients} connected; settling ${IDLE_SETTLE_MS / 1000} s`);
    await sleep(IDLE_SETTLE_MS);
    const after = sampleProcesses(running.pids());
    const still = await context.loadgen.bytes(group.group);
    await context.loadgen.close(group.group);
    const errors = [...group.errors];
    if (still.open < group.reached) errors.push(`${group.reached - still.open} connected clients were closed while idle`);
    return { server, clients, connected: Math.min(group.reached, still.open), rssBeforeBytes: before.rssBytes, rssAfterBytes: after.rssBytes, errors, load1 };
  } finally {
    await running.stop();
  }
}
