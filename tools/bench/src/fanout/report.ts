/** The Markdown report: machine, settings, one table per part, and the goals of the issue. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { REALTIME_FRACTION, type FanoutRow } from './fanout.js';
import type { IdleRow } from './idle.js';
import type { FanoutInput } from './input.js';
import type { KeyframeRow } from './keyframe.js';
import type { FanoutOptions } from './options.js';
import type { ServerUnderTest } from './servers/server.js';
import { slowEarlierPeak, slowEnd, slowPeak, type SlowRow } from './slow.js';

export const GOALS = { cpuPerGbVsNginx: 0.8, idleBytesPerClient: 16_000, firstKeyframeMs: 100 };

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const mb = (bytes: number): string => `${fixed(bytes / 1e6, bytes >= 1e8 ? 0 : 1)} MB`;
const gbs = (row: FanoutRow): number => row.cpuS / (row.deliveredBytes / 1e9);

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

export interface MachineInfo {
  servers: ServerUnderTest[];
  ffmpeg: string;
  loadStart: number[];
  loadEnd: number[];
  startedAt: Date;
  minutes: number;
}

export function machineSection(info: MachineInfo, input: FanoutInput, options: FanoutOptions): string[] {
  const load = (values: number[]): string => values.map((value) => value.toFixed(2)).join(', ');
  return [
    `- Date: ${info.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${info.minutes.toFixed(1)} min`,
    `- CPU: ${cpuModel()}, ${availableParallelism()} cores available (nproc), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- Node.js ${process.version}, ${process.platform}/${process.arch}; ffmpeg ${info.ffmpeg}`,
    ...info.servers.map((server) => `- ${server.label}: ${server.version}; ${server.setup}`),
    `- Load average (1, 5, 15 min): ${load(info.loadStart)} at the start, ${load(info.loadEnd)} at the end`,
    `- Input: ${input.path.split('/').pop()} (${mb(input.bytes)}, ${input.durationS.toFixed(2)} s, ` +
      `${fixed((input.bytesPerSecond * 8) / 1e6, 2)} Mbit/s nominal), published by ffmpeg -re -stream_loop -1 -c copy`,
    `- Fan-out: players ramped at ${options.rampPerSecond}/s, ${options.warmupS} s warm-up, ${options.windowS} s window; ` +
      'real time = at least 90% of the nominal bytes in the window; CPU = utime+stime from /proc of the server processes',
  ];
}

export function fanoutTable(rows: readonly FanoutRow[]): string[] {
  const lines = [
    '| server | players | started | at real time | server CPU s | of which system | % of a core | delivered | CPU s per GB | RSS at end | load gen % core | load 1 min |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.server.label}${row.tls ? ' (RTMPS)' : ''} | ${row.players} | ${row.started} | ${row.realtime} | ${fixed(row.cpuS, 2)} | ` +
        `${fixed((100 * row.systemS) / row.cpuS, 0)}% | ` +
        `${fixed((100 * row.cpuS) / row.windowS, 1)}% | ${mb(row.deliveredBytes)} | ${fixed(gbs(row), 2)} | ${mb(row.rssBytes)} | ` +
        `${fixed((100 * row.loadgenCpuS) / row.windowS, 1)}% | ${row.load1.toFixed(1)} |`,
    );
  }
  const notes = rows.flatMap((row) => row.notes.map((note) => `- ${row.server.label}${row.tls ? ' (RTMPS)' : ''}, ${row.players} players: ${note}`));
  return notes.length > 0 ? [...lines, '', ...notes] : lines;
}

/**
 * Marginal cost: between consecutive fan-out sizes of one server (both at real time), the extra
 * CPU seconds per extra delivered GB. It leaves out what does not grow with players (ingest,
 * timers), which dominates the per-GB figure at small N.
 */
export function marginalTable(rows: readonly FanoutRow[]): string[] {
  const ok = rows.filter((row) => !row.tls && row.realtime >= REALTIME_FRACTION * row.players);
  const servers = [...new Set(ok.map((row) => row.server))];
  const steps = [...new Set(ok.map((row) => row.players))].sort((a, b) => a - b);
  const pairs = steps.slice(1).map((to, i) => [steps[i]!, to] as const);
  const lines = [`| server | ${pairs.map(([from, to]) => `${from} → ${to}`).join(' | ')} |`, `| --- |${pairs.map(() => ' ---: |').join('')}`];
  for (const server of servers) {
    const at = (players: number): FanoutRow | undefined => ok.find((row) => row.server === server && row.players === players);
    const cells = pairs.map(([from, to]) => {
      const a = at(from);
      const b = at(to);
      if (!a || !b) return '—';
      const cpuPerSecond = (row: FanoutRow): number => row.cpuS / row.windowS;
      const bytesPerSecond = (row: FanoutRow): number => row.deliveredBytes / row.windowS;
      return fixed((cpuPerSecond(b) - cpuPerSecond(a)) / ((bytesPerSecond(b) - bytesPerSecond(a)) / 1e9), 2);
    });
    lines.push(`| ${server.label} | ${cells.join(' | ')} |`);
  }
  return lines;
}

export function keyframeTable(rows: readonly KeyframeRow[]): string[] {
  const lines = ['| server | joins | got a keyframe | median | min | max | load 1 min |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const row of rows) {
    const s = (ms: number): string => `${fixed(ms / 1000, 3)} s`;
    lines.push(`| ${row.server.label} | ${row.joins} | ${row.ms.length} | ${s(median(row.ms))} | ${s(Math.min(...row.ms))} | ${s(Math.max(...row.ms))} | ${row.load1.toFixed(1)} |`);
  }
  const notes = rows.filter((row) => row.errors.length > 0).map((row) => `- ${row.server.label}: ${row.errors.join('; ')}`);
  return notes.length > 0 ? [...lines, '', ...notes] : lines;
}

export const perClient = (row: IdleRow): number => (row.connected > 0 ? (row.rssAfterBytes - row.rssBeforeBytes) / row.connected : Number.NaN);

export function idleTable(rows: readonly IdleRow[]): string[] {
  const lines = [
    '| server | clients | connected | RSS before | RSS after | per client | load 1 min |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.server.label} | ${row.clients} | ${row.connected} | ${mb(row.rssBeforeBytes)} | ${mb(row.rssAfterBytes)} | ` +
        `${fixed(perClient(row) / 1000, 1)} kB | ${row.load1.toFixed(1)} |`,
    );
  }
  const notes = rows.filter((row) => row.errors.length > 0).map((row) => `- ${row.server.label}: ${row.errors.join('; ')}`);
  return notes.length > 0 ? [...lines, '', ...notes] : lines;
}

export function rtmpsTable(pairs: ReadonlyArray<{ plain: FanoutRow; tls: FanoutRow }>): string[] {
  const lines = [
    '| players | RTMP CPU s per GB | RTMPS CPU s per GB | RTMPS / RTMP | RTMP at real time | RTMPS at real time | RTMPS % of a core |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { plain, tls } of pairs) {
    lines.push(
      `| ${plain.players} | ${fixed(gbs(plain), 2)} | ${fixed(gbs(tls), 2)} | **${fixed(gbs(tls) / gbs(plain), 2)}×** | ` +
        `${plain.realtime}/${plain.players} | ${tls.realtime}/${tls.players} | ${fixed((100 * tls.cpuS) / tls.windowS, 1)}% |`,
    );
  }
  return lines;
}

export function slowTable(rows: readonly SlowRow[]): string[] {
  const lines = [
    '| server | real players | stalled players | RSS before players | RSS peak | RSS at end | peak growth per stalled player | real players at real time | stalled disconnected by the end | load 1 min |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const perStalled = row.stalledStarted > 0 ? (slowPeak(row) - row.rssBeforeBytes) / row.stalledStarted : Number.NaN;
    lines.push(
      `| ${row.server.label} | ${row.playersStarted}/${row.players} | ${row.stalledStarted}/${row.stalled} | ${mb(row.rssBeforeBytes)} | ${mb(slowPeak(row))} | ` +
        `${mb(slowEnd(row))} | ${fixed(perStalled / 1000, 0)} kB | ${row.realtime}/${row.players} | ${row.stalledClosed}/${row.stalledStarted} | ${row.load1.toFixed(1)} |`,
    );
  }
  const notes = rows.flatMap((row) => row.notes.map((note) => `- ${row.server.label}: ${note}`));
  return notes.length > 0 ? [...lines, '', ...notes] : lines;
}

export interface GoalInputs {
  fanout: readonly FanoutRow[];
  keyframes: readonly KeyframeRow[];
  idle: readonly IdleRow[];
  slow: readonly SlowRow[];
}

export function goalsTable({ fanout, keyframes, idle, slow }: GoalInputs): string[] {
  const lines = [
    'CPU per GB is compared only at sizes where both servers kept at least 90% of their players at real time.',
    'Bounded memory with stalled players: yes when the RSS at the end of the window is no higher than its peak ' +
      '(not a new high: ≤ the highest earlier sample of the window) and every real player stayed at real time over the window.',
    '',
    '| goal | measured | met |',
    '| --- | --- | --- |',
  ];
  const verdict = (ok: boolean): string => (ok ? 'yes' : '**no**');
  // Only rows where both servers kept at least 90% of their players at real time compare costs.
  const plainRows = (id: string): FanoutRow[] => fanout.filter((row) => row.server.id === id && !row.tls && row.realtime >= REALTIME_FRACTION * row.players);
  const ours = plainRows('rtmpkit');
  for (const other of ['nginx', 'nms'] as const) {
    for (const row of ours) {
      const theirs = plainRows(other).find((candidate) => candidate.players === row.players);
      if (!theirs || row.players < 50) continue;
      const ratio = gbs(row) / gbs(theirs);
      const label = other === 'nginx' ? `rtmpkit ÷ nginx-rtmp CPU per delivered GB ≤ ${GOALS.cpuPerGbVsNginx}` : 'rtmpkit ÷ node-media-server CPU per delivered GB (no goal)';
      lines.push(`| ${label}, ${row.players} players | ${fixed(ratio, 2)} (${fixed(gbs(row), 2)} vs ${fixed(gbs(theirs), 2)} CPU s/GB) | ${other === 'nginx' ? verdict(ratio <= GOALS.cpuPerGbVsNginx) : '—'} |`);
    }
  }
  const idleOurs = idle.find((row) => row.server.id === 'rtmpkit');
  if (idleOurs) {
    const bytes = perClient(idleOurs);
    lines.push(`| rtmpkit memory per idle connection ≤ ${GOALS.idleBytesPerClient / 1000} kB | ${fixed(bytes / 1000, 1)} kB | ${verdict(bytes <= GOALS.idleBytesPerClient)} |`);
  }
  const keyOurs = keyframes.find((row) => row.server.id === 'rtmpkit');
  if (keyOurs) {
    const mid = median(keyOurs.ms);
    lines.push(
      `| rtmpkit first keyframe ≤ ${GOALS.firstKeyframeMs / 1000} s (median of ${keyOurs.joins}) | ${fixed(mid / 1000, 3)} s (max ${fixed(Math.max(...keyOurs.ms) / 1000, 3)} s) | ${verdict(mid <= GOALS.firstKeyframeMs && keyOurs.ms.length === keyOurs.joins)} |`,
    );
  }
  const slowOurs = slow.find((row) => row.server.id === 'rtmpkit');
  if (slowOurs) {
    const bounded = slowEnd(slowOurs) <= slowEarlierPeak(slowOurs);
    const keptUp = slowOurs.realtime === slowOurs.players;
    lines.push(
      `| rtmpkit: bounded memory when players cannot keep up (${slowOurs.players} real + ${slowOurs.stalled} stalled) | ` +
        `RSS ${mb(slowEnd(slowOurs))} at end, ${mb(slowPeak(slowOurs))} peak; ${slowOurs.realtime}/${slowOurs.players} at real time; ` +
        `${slowOurs.stalledClosed}/${slowOurs.stalledStarted} stalled disconnected | ${verdict(bounded && keptUp)} |`,
    );
  }
  return lines;
}
