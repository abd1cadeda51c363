/**
 * Fan-out benchmark: rtmpkit against node-media-server and nginx-rtmp, each as a separate
 * process fed by the same ffmpeg publisher and played by the same load generator.
 *
 *   pnpm bench:fanout                       (from the repo root; builds what it needs first)
 *   pnpm bench:fanout --quick               (smoke run)
 *   pnpm bench:fanout --servers rtmpkit,nginx --players 100,400 --only fanout
 *
 * Markdown report on stdout, progress on stderr. On demand only: never a test, not run by CI.
 * Every child process runs under `timeout` and is stopped on exit, error and SIGINT.
 */
import { loadavg } from 'node:os';
import { killChildrenNow, stopChildren } from './children.js';
import type { BenchContext } from './context.js';
import { measureFanout, REALTIME_FRACTION, type FanoutRow } from './fanout.js';
import { measureIdle, type IdleRow } from './idle.js';
import { ensureFanoutInput, ffmpegVersion } from './input.js';
import { measureKeyframes, type KeyframeRow } from './keyframe.js';
import { LoadGenerator } from './load-client.js';
import { USAGE, UsageError, parseOptions, type FanoutOptions } from './options.js';
import { fanoutTable, goalsTable, idleTable, keyframeTable, machineSection, marginalTable, rtmpsTable, slowTable } from './report.js';
import { measureSlow, type SlowRow } from './slow.js';
import { nginxServer } from './servers/nginx.js';
import { nmsServer } from './servers/nms.js';
import { rtmpkitServer } from './servers/rtmpkit.js';
import { ServerMissingError, type ServerId, type ServerUnderTest } from './servers/server.js';
import { FixtureError } from '../fixture.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function makeServers(ids: readonly ServerId[]): ServerUnderTest[] {
  const makers: Record<ServerId, () => ServerUnderTest> = { rtmpkit: rtmpkitServer, nms: nmsServer, nginx: nginxServer };
  return ids.map((id) => makers[id]());
}

interface Results {
  fanout: FanoutRow[];
  keyframes: KeyframeRow[];
  idle: IdleRow[];
  rtmps: Array<{ plain: FanoutRow; tls: FanoutRow }>;
  slow: SlowRow[];
  problems: string[];
}

async function attempt<T>(what: string, results: Results, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const text = `${what}: ${(error as Error).message.split('\n').slice(0, 6).join(' / ')}`;
    log(`  FAILED ${text}`);
    results.problems.push(text);
    return undefined;
  }
}

async function runParts(context: BenchContext, servers: ServerUnderTest[], results: Results): Promise<void> {
  const { options } = context;
  if (options.parts.includes('fanout')) {
    log('a) Fan-out');
    const active = new Set(servers);
    for (const players of options.players) {
      for (const server of servers) {
        if (!active.has(server)) continue;
        if (server.maxSessions !== undefined && players + 1 > server.maxSessions) {
          results.problems.push(`${server.label}, ${players} players: above its ${server.maxSessions} sessions (publisher included); not run`);
          active.delete(server);
          continue;
        }
        const row = await attempt(`${server.label}, ${players} players`, results, () => measureFanout(context, server, players, false));
        if (!row) {
          active.delete(server);
          continue;
        }
        results.fanout.push(row);
        log(`    ${row.realtime}/${players} at real time, ${(row.cpuS / row.windowS * 100).toFixed(1)}% of a core`);
        if (row.realtime < REALTIME_FRACTION * players) {
          log(`    ${server.label}: fewer than 90% of the players keep real time; its series stops here`);
          active.delete(server);
        }
      }
    }
  }
  if (options.parts.includes('keyframe')) {
    log('b) Time to first keyframe');
    for (const server of servers) {
      const row = await attempt(`${server.label}, first keyframe`, results, () => measureKeyframes(context, server));
      if (row) results.keyframes.push(row);
    }
  }
  if (options.parts.includes('idle')) {
    log('c) Memory per idle client');
    for (const server of servers) {
      const row = await attempt(`${server.label}, idle clients`, results, () => measureIdle(context, server));
      if (row) results.idle.push(row);
    }
  }
  const rtmpkit = servers.find((server) => server.id === 'rtmpkit');
  if (options.parts.includes('rtmps') && rtmpkit) {
    log('d) rtmpkit: RTMPS against RTMP');
    for (const players of options.rtmpsPlayers) {
      const plain = await attempt(`rtmpkit, ${players} players (RTMP row of the RTMPS pair)`, results, () => measureFanout(context, rtmpkit, players, false));
      const tls = plain && (await attempt(`rtmpkit, ${players} players over RTMPS`, results, () => measureFanout(context, rtmpkit, players, true)));
      if (plain && tls) results.rtmps.push({ plain, tls });
    }
  }
  if (options.parts.includes('slow')) {
    const [players, stalled] = options.slowPlayers;
    log(`e) Bounded memory when players cannot keep up (${players} real + ${stalled} stalled players)`);
    for (const server of servers) {
      if (server.maxSessions !== undefined && players + stalled + 1 > server.maxSessions) {
        results.problems.push(`${server.label}, slow part: above its ${server.maxSessions} sessions (publisher included); not run`);
        continue;
      }
      const row = await attempt(`${server.label}, stalled players`, results, () => measureSlow(context, server));
      if (row) results.slow.push(row);
    }
  }
}

function report(context: BenchContext, results: Results, machine: Parameters<typeof machineSection>[0]): string {
  const { options } = context;
  const out: string[] = ['## Fan-out run', '', ...machineSection(machine, context.input, options), ''];
  if (results.fanout.length > 0) {
    out.push('### a) Fan-out (plain RTMP)', '', ...fanoutTable(results.fanout), '');
    out.push('Marginal CPU seconds per extra delivered GB, between consecutive sizes (rows at real time only):', '', ...marginalTable(results.fanout), '');
  }
  if (results.keyframes.length > 0) out.push(`### b) Time to first keyframe (players joining a running stream one by one)`, '', ...keyframeTable(results.keyframes), '');
  if (results.idle.length > 0) {
    out.push(
      '### c) Memory per idle client',
      '',
      '"Connected": TCP, handshake done, `connect` answered with `_result`; no stream created, nothing else sent. No publisher. ' +
        'Per client = (server RSS 5 s after the last connect − RSS before) ÷ clients connected.',
      '',
      ...idleTable(results.idle),
      '',
    );
  }
  if (results.rtmps.length > 0) {
    out.push('### d) rtmpkit: RTMPS against plain RTMP (same run, rows back to back)', '', ...rtmpsTable(results.rtmps), '', ...fanoutTable(results.rtmps.flatMap(({ plain, tls }) => [plain, tls])), '');
  }
  if (results.slow.length > 0) {
    out.push(
      '### e) Bounded memory when players cannot keep up',
      '',
      `Stalled player: plays normally until its first keyframe, then stops reading its socket (never resumed) and stays connected. ` +
        `Real players read everything. RSS sampled once a second for ${context.options.slowWindowS} s after a ${context.options.warmupS} s warm-up; ` +
        'peak growth per stalled player = (peak − RSS before players) ÷ stalled players started; real time as in a).',
      '',
      ...slowTable(results.slow),
      '',
    );
  }
  out.push('### Goals', '', ...goalsTable(results), '');
  if (results.problems.length > 0) out.push('### Problems', '', ...results.problems.map((problem) => `- ${problem}`), '');
  return out.join('\n');
}

async function main(): Promise<number> {
  let options: FanoutOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      log(`bench:fanout: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  const ffmpeg = ffmpegVersion();
  if (!ffmpeg) {
    log('bench:fanout: ffmpeg is not on PATH; it makes the input and publishes it. Install it (Debian: apt-get install ffmpeg) and run again.');
    return 1;
  }
  let servers: ServerUnderTest[];
  try {
    servers = makeServers(options.servers);
  } catch (error) {
    if (error instanceof ServerMissingError) {
      log(`bench:fanout: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const input = ensureFanoutInput(log);
  const startedAt = new Date();
  const loadStart = loadavg();
  const maxPlayers = Math.max(...options.players, ...options.rtmpsPlayers, options.clients, options.slowPlayers[0] + options.slowPlayers[1]);
  const childMaxSeconds = 300 + options.warmupS + Math.max(options.windowS, options.slowWindowS) + maxPlayers / options.rampPerSecond;
  const loadgen = LoadGenerator.start(6 * 3600);
  const context: BenchContext = { input, loadgen, options, childMaxSeconds, log };
  log(
    `Input: ${(input.bytes / 1e6).toFixed(1)} MB over ${input.durationS.toFixed(2)} s = ${((input.bytesPerSecond * 8) / 1e6).toFixed(2)} Mbit/s. ` +
      `Servers: ${servers.map((server) => server.label).join(', ')}. Load average ${loadStart.map((l) => l.toFixed(2)).join(', ')}.`,
  );
  const results: Results = { fanout: [], keyframes: [], idle: [], rtmps: [], slow: [], problems: [] };
  try {
    await runParts(context, servers, results);
  } finally {
    loadgen.stop();
  }
  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  process.stdout.write(report(context, results, { servers, ffmpeg, loadStart, loadEnd: loadavg(), startedAt, minutes }));
  log(`(done in ${minutes.toFixed(1)} min)`);
  return 0;
}

process.on('exit', killChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`bench:fanout: ${signal}, stopping every child process`);
    void stopChildren().finally(() => process.exit(130));
    setTimeout(() => process.exit(130), 8000).unref();
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof FixtureError) log(`bench:fanout: ${error.message}`);
    else log(`bench:fanout: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
    void stopChildren();
  },
);
