/**
 * A small, bounded timing harness. For each row: each side is warmed up for `warmupMs`, then
 * timed over `rounds` rounds of about `roundMs` each, the two sides alternating (and swapping
 * which goes first every round) so drift in the machine hits both alike. Each side's rate is the
 * median over its rounds; the ratio is the median of the per-round ratios.
 */

export interface Side {
  /** One unit of work: a pass over the stream, or one AMF encode/decode. Returns a number to sink. */
  run: () => number;
}

export interface RowSpec {
  name: string;
  /** 'MB/s' (payload megabytes, 10^6) or 'ops/s'. */
  unit: 'MB/s' | 'ops/s';
  /** Payload bytes (MB/s rows) or operations (ops/s rows) in one `run()`. */
  workPerRun: number;
  rtmpkit: Side;
  nms: Side;
  note?: string;
}

export interface SideResult {
  /** Median rate in `unit`. */
  median: number;
  /** Half the spread between the fastest and slowest round, relative to the median. */
  spread: number;
  runsPerRound: number;
}

export interface RowResult {
  spec: RowSpec;
  rtmpkit: SideResult;
  nms: SideResult;
  /**
   * rtmpkit rate / NMS rate, per round (the two timed back to back), median over the rounds:
   * above 1 means rtmpkit is faster. Pairing the rounds cancels slow drift in machine load.
   */
  ratio: number;
}

export interface HarnessOptions {
  warmupMs: number;
  roundMs: number;
  rounds: number;
  /** Time only one side (for profiling one codec); the other side's numbers are then 0. */
  side: 'both' | 'rtmpkit' | 'nms';
  /**
   * 'wall': elapsed time. 'cpu': CPU time of the whole process (user + system, all threads, so
   * GC helper threads count too); steadier on a machine shared with other work.
   */
  clock: 'wall' | 'cpu';
  /** Called with each side's per-round rates, for --verbose. */
  onRates?: (name: string, rtmpkit: number[], nms: number[]) => void;
}

/** Somewhere for results to go, so no call can be optimised away. */
export let sink = 0;

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Runs `side` for at least `ms`; returns nanoseconds per run. */
function warmUp(side: Side, ms: number): number {
  const limit = BigInt(Math.round(ms * 1e6));
  const start = nowNs();
  let runs = 0;
  let elapsed = 0n;
  while (elapsed < limit || runs < 3) {
    sink += side.run();
    runs++;
    elapsed = nowNs() - start;
  }
  return Number(elapsed) / runs;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * No forced GC between rounds: a full GC lets V8 drop the maps of objects that only live
 * during a call (core's ByteReader/ByteWriter/contexts), which deoptimizes the code built on
 * them ("weak objects"), so every round would start cold. GC is forced once per row instead.
 */
function timeRound(side: Side, runs: number, clock: HarnessOptions['clock']): number {
  if (clock === 'cpu') {
    const start = cpuSeconds();
    for (let i = 0; i < runs; i++) sink += side.run();
    return cpuSeconds() - start;
  }
  const start = nowNs();
  for (let i = 0; i < runs; i++) sink += side.run();
  return Number(nowNs() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summarize(rates: number[], runsPerRound: number): SideResult {
  const m = median(rates);
  return { median: m, spread: m > 0 ? (Math.max(...rates) - Math.min(...rates)) / 2 / m : 0, runsPerRound };
}

export function measure(spec: RowSpec, options: HarnessOptions): RowResult {
  const scale = spec.unit === 'MB/s' ? spec.workPerRun / 1e6 : spec.workPerRun;
  const idle: Side = { run: () => 0 };
  const sides = [options.side === 'nms' ? idle : spec.rtmpkit, options.side === 'rtmpkit' ? idle : spec.nms] as const;
  gc?.(); // start each row from a clean heap, before warm-up
  const runsPerRound = sides.map((side) => {
    if (side === idle) return 1;
    const nsPerRun = warmUp(side, options.warmupMs);
    return Math.max(1, Math.round((options.roundMs * 1e6) / nsPerRun));
  });
  const rates: [number[], number[]] = [[], []];
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      if (sides[index] === idle) {
        rates[index]!.push(0);
        continue;
      }
      const runs = runsPerRound[index]!;
      const seconds = timeRound(sides[index]!, runs, options.clock);
      rates[index]!.push((runs * scale) / Math.max(seconds, 1e-6));
    }
  }
  options.onRates?.(spec.name, rates[0], rates[1]);
  const rtmpkit = summarize(rates[0], runsPerRound[0]!);
  const nms = summarize(rates[1], runsPerRound[1]!);
  const ratio = options.side === 'both' ? median(rates[0].map((rate, round) => rate / rates[1][round]!)) : Number.NaN;
  return { spec, rtmpkit, nms, ratio };
}
