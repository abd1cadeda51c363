/**
 * Bounded memory when players cannot keep up: a fresh server, the publisher, N real players and
 * M stalled players (each stops reading its socket once it has its first keyframe and stays
 * connected). After the warm-up, the server's RSS once per second for the window; the real
 * players' bytes over the window (real time rule of fanout.ts) and how many stalled players the
 * server has disconnected by the end.
 *
 * A paused socket never reads the server's FIN, so the load generator's `open` count cannot see
 * the server dropping a stalled player: the server's side is counted instead, as ESTABLISHED
 * sockets on its RTMP port in /proc/net/tcp{,6} (loopback: both ends are on this machine).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { BenchContext } from './context.js';
import { withLiveServer } from './live-server.js';
import { REALTIME_FRACTION } from './fanout.js';
import { sleep } from './net-util.js';
import { sampleProcesses } from './proc-stats.js';
import type { ServerUnderTest } from './servers/server.js';

export interface SlowRow {
  server: ServerUnderTest;
  players: number;
  stalled: number;
  /** Real players that got their first keyframe. */
  playersStarted: number;
  /** Stalled players that got their first keyframe (and then stopped reading). */
  stalledStarted: number;
  windowS: number;
  /** Server RSS with the publisher flowing, before any player. */
  rssBeforeBytes: number;
  /** One sample per second over the window. */
  rssSamples: number[];
  /** Real players whose bytes in the window reached 90% of the stream's nominal rate. */
  realtime: number;
  /** Stalled players (of those started) whose connection the server had closed by the end (its side, /proc/net/tcp). */
  stalledClosed: number;
  load1: number;
  notes: string[];
}

export const slowPeak = (row: SlowRow): number => Math.max(...row.rssSamples);
export const slowEnd = (row: SlowRow): number => row.rssSamples.at(-1) ?? Number.NaN;
/** The highest sample before the last one: the end is "no higher than the peak" when it is not a new high. */
export const slowEarlierPeak = (row: SlowRow): number => Math.max(...row.rssSamples.slice(0, -1));

/** Sockets in state ESTABLISHED whose local port is `port` (the server's side of its connections). */
export function establishedOn(port: number): number {
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      if (fields[3] === '01' && parseInt(fields[1]!.split(':').pop()!, 16) === port) count++;
    }
  }
  return count;
}

export async function measureSlow(context: BenchContext, server: ServerUnderTest): Promise<SlowRow> {
  const { options, loadgen, input, log } = context;
  const [players, stalled] = options.slowPlayers;
  const load1 = loadavg()[0]!;
  const notes: string[] = [];
  return withLiveServer(context, server, async ({ running, publisher, plain }) => {
    const before = sampleProcesses(running.pids());
    const real = await loadgen.play(plain, players, options.rampPerSecond, 20_000);
    const stuck = await loadgen.play(plain, stalled, options.rampPerSecond, 20_000, true);
    if (real.reached < players) notes.push(`${players - real.reached} real players got no keyframe (${real.errors.join('; ')})`);
    if (stuck.reached < stalled) notes.push(`${stalled - stuck.reached} stalled players got no keyframe (${stuck.errors.join('; ')})`);
    log(`  ${server.label}: ${real.reached}/${players} real, ${stuck.reached}/${stalled} stalled started; warm-up ${options.warmupS} s, window ${options.slowWindowS} s`);
    await sleep(options.warmupS * 1000);

    const bytesBefore = await loadgen.bytes(real.group);
    const stuckBefore = await loadgen.bytes(stuck.group);
    const first = sampleProcesses(running.pids());
    const rssSamples: number[] = [];
    let last = first;
    for (let second = 1; second <= options.slowWindowS; second++) {
      await sleep(Math.max(0, first.at + second * 1000 - performance.now()));
      last = sampleProcesses(running.pids());
      rssSamples.push(last.rssBytes);
    }
    const bytesAfter = await loadgen.bytes(real.group);
    const stuckAfter = await loadgen.bytes(stuck.group);
    // The server's connections still up: the publisher, the real players still open, the stalled ones it kept.
    const stalledKept = Math.max(0, establishedOn(running.rtmpPort) - 1 - bytesAfter.open);
    await loadgen.close(real.group);
    await loadgen.close(stuck.group);

    const windowS = (last.at - first.at) / 1000;
    const needed = REALTIME_FRACTION * input.bytesPerSecond * windowS;
    const realtime = bytesAfter.bytes.filter((total, i) => total - (bytesBefore.bytes[i] ?? 0) >= needed).length;
    if (bytesAfter.open < real.reached) notes.push(`${real.reached - bytesAfter.open} real players were disconnected`);
    const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
    const stalledRead = sum(stuckAfter.bytes) - sum(stuckBefore.bytes);
    if (stalledRead > 0) notes.push(`the stalled players still read ${stalledRead} bytes in the window (expected 0)`);
    if (publisher.exited()) notes.push(`the publisher exited: ${publisher.output().trim()}`);
    return {
      server,
      players,
      stalled,
      playersStarted: real.reached,
      stalledStarted: stuck.reached,
      windowS,
      rssBeforeBytes: before.rssBytes,
      rssSamples,
      realtime,
      stalledClosed: Math.max(0, stuck.reached - stalledKept),
      load1,
      notes,
    };
  });
}
