/** Command line of the fan-out benchmark. */
import { parseArgs } from 'node:util';
import type { ServerId } from './servers/server.js';

export type Part = 'fanout' | 'keyframe' | 'idle' | 'rtmps' | 'slow';
export const PARTS: readonly Part[] = ['fanout', 'keyframe', 'idle', 'rtmps', 'slow'];
const SERVER_IDS: readonly ServerId[] = ['rtmpkit', 'nms', 'nginx'];

export interface FanoutOptions {
  servers: ServerId[];
  players: number[];
  rtmpsPlayers: number[];
  windowS: number;
  warmupS: number;
  parts: Part[];
  /** Idle clients in the memory test. */
  clients: number;
  /** Players joining one after another in the keyframe test. */
  joins: number;
  /** Player connects started per second. */
  rampPerSecond: number;
  /** Slow part: real players, stalled players. */
  slowPlayers: [number, number];
  /** Slow part: RSS sampling window after the warm-up, seconds. */
  slowWindowS: number;
  quick: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: pnpm bench:fanout [options]   (from the repo root)

  --servers LIST        rtmpkit,nms,nginx (default: all three)
  --players LIST        fan-out sizes (default 1,50,100,200,400,800)
  --window-s N          steady window per fan-out row, seconds (default 20)
  --warmup-s N          wait after the last player started, seconds (default 5)
  --only PART[,PART]    fanout, keyframe, idle, rtmps, slow (default: all; repeatable)
  --rtmps-players LIST  sizes of the RTMPS-vs-RTMP rows, rtmpkit only (default 100,200)
  --clients N           idle clients in the memory test (default 1000)
  --joins N             players joining one by one in the keyframe test (default 20)
  --ramp N              player connects started per second (default 200)
  --slow-players N,M    slow part: real players, stalled players (default 100,100)
  --slow-window-s S     slow part: RSS sampled once a second for S s after the warm-up (default 40)
  --quick               smoke run: players 1,50, window 5 s, warm-up 2 s, rtmps 50,
                        200 idle clients, 5 joins, slow 20,20 over 20 s (explicit options win)
  -h, --help
`;

const options = {
  servers: { type: 'string' },
  players: { type: 'string' },
  'rtmps-players': { type: 'string' },
  'window-s': { type: 'string' },
  'warmup-s': { type: 'string' },
  only: { type: 'string', multiple: true },
  clients: { type: 'string' },
  joins: { type: 'string' },
  ramp: { type: 'string' },
  'slow-players': { type: 'string' },
  'slow-window-s': { type: 'string' },
  quick: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function positive(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < (allowZero ? 0 : 1) || !Number.isInteger(value)) throw new UsageError(`--${name} must be a positive integer, got ${text}`);
  return value;
}

function list(name: string, text: string): number[] {
  const values = text.split(',').map((item) => positive(name, item.trim()));
  if (values.length === 0) throw new UsageError(`--${name} is empty`);
  return values;
}

function pair(name: string, text: string): [number, number] {
  const values = list(name, text);
  if (values.length !== 2) throw new UsageError(`--${name} takes two numbers (real,stalled), got ${text}`);
  return [values[0]!, values[1]!];
}

/** Parses argv (without node and the script); returns undefined for --help. */
export function parseOptions(argv: string[]): FanoutOptions | undefined {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const quick = values.quick;
  const servers = (values.servers ?? SERVER_IDS.join(',')).split(',').map((item) => item.trim());
  for (const id of servers) if (!SERVER_IDS.includes(id as ServerId)) throw new UsageError(`--servers: unknown server ${id} (rtmpkit, nms, nginx)`);
  const parts = (values.only ?? [PARTS.join(',')]).flatMap((item) => item.split(',')).map((item) => item.trim());
  for (const part of parts) if (!PARTS.includes(part as Part)) throw new UsageError(`--only: unknown part ${part} (${PARTS.join(', ')})`);
  return {
    servers: [...new Set(servers)] as ServerId[],
    players: list('players', values.players ?? (quick ? '1,50' : '1,50,100,200,400,800')),
    rtmpsPlayers: list('rtmps-players', values['rtmps-players'] ?? (quick ? '50' : '100,200')),
    windowS: positive('window-s', values['window-s'] ?? (quick ? '5' : '20')),
    warmupS: positive('warmup-s', values['warmup-s'] ?? (quick ? '2' : '5'), true),
    parts: PARTS.filter((part) => parts.includes(part)),
    clients: positive('clients', values.clients ?? (quick ? '200' : '1000')),
    joins: positive('joins', values.joins ?? (quick ? '5' : '20')),
    rampPerSecond: positive('ramp', values.ramp ?? '200'),
    slowPlayers: pair('slow-players', values['slow-players'] ?? (quick ? '20,20' : '100,100')),
    slowWindowS: Math.max(2, positive('slow-window-s', values['slow-window-s'] ?? (quick ? '20' : '40'))),
    quick,
  };
}
