/**
 * One fan-out measurement: a fresh server, the publisher, N players (ramped), warm-up, then a
 * steady window in which the server's CPU time and the bytes every player received are counted.
 */
import { loadavg } from 'node:os';
import { target, type BenchContext } from './context.js';
import { withLiveServer } from './live-server.js';
import { sleep } from './net-util.js';
import { cpuSeconds, sampleProcesses } from './proc-stats.js';
import type { ServerUnderTest } from './servers/server.js';

export interface FanoutRow {
  server: ServerUnderTest;
  players: number;
  tls: boolean;
  /** Players that got their first keyframe. */
  started: number;
  windowS: number;
  cpuS: number;
  /** The kernel part of `cpuS` (socket writes on loopback include the receiving side's TCP work). */
  systemS: number;
  deliveredBytes: number;
  /** Players whose bytes in the window reached 90% of the stream's nominal rate. */
  realtime: number;
  /** Players whose connection was still open at the end of the window. */
  open: number;
  rssBytes: number;
  loadgenCpuS: number;
  /** 1-minute load average when the row started. */
  load1: number;
  notes: string[];
}

export const REALTIME_FRACTION = 0.9;

export async function measureFanout(context: BenchContext, server: ServerUnderTest, players: number, tls: boolean): Promise<FanoutRow> {
  const { options, loadgen, input, log } = context;
  const load1 = loadavg()[0]!;
  const notes: string[] = [];
  return withLiveServer(context, server, async ({ running, publisher, plain }) => {
    if (tls && running.rtmpsPort === undefined) throw new Error(`${server.label} serves no RTMPS here`);
    const where = tls ? target(running.rtmpsPort!, true) : plain;
    const group = await loadgen.play(where, players, options.rampPerSecond, 20_000);
    if (group.reached < players) notes.push(`${players - group.reached} players got no keyframe (${group.errors.join('; ')})`);
    log(`  ${server.label}${tls ? ' over TLS' : ''}, ${players} players: ${group.reached} started; warm-up ${options.warmupS} s, window ${options.windowS} s`);
    await sleep(options.warmupS * 1000);

    const bytesBefore = await loadgen.bytes(group.group);
    const before = sampleProcesses(running.pids());
    const loadgenBefore = cpuSeconds(loadgen.pid);
    await sleep(options.windowS * 1000);
    const bytesAfter = await loadgen.bytes(group.group);
    const after = sampleProcesses(running.pids());
    const loadgenAfter = cpuSeconds(loadgen.pid);
    await loadgen.close(group.group);

    const windowS = (after.at - before.at) / 1000;
    const needed = REALTIME_FRACTION * input.bytesPerSecond * windowS;
    let delivered = 0;
    let realtime = 0;
    bytesAfter.bytes.forEach((total, i) => {
      const got = total - (bytesBefore.bytes[i] ?? 0);
      delivered += got;
      if (got >= needed) realtime++;
    });
    if (publisher.exited()) notes.push(`the publisher exited: ${publisher.output().trim()}`);
    return {
      server,
      players,
      tls,
      started: group.reached,
      windowS,
      cpuS: after.cpuS - before.cpuS,
      systemS: after.systemS - before.systemS,
      deliveredBytes: delivered,
      realtime,
      open: bytesAfter.open,
      rssBytes: after.rssBytes,
      loadgenCpuS: loadgenAfter - loadgenBefore,
      load1,
      notes,
    };
  });
}
