/**
 * The load generator: ONE child process holding every player socket (see rtmp-player.ts), driven
 * by the benchmark over Node's IPC channel (load-protocol.ts). It exits when the channel closes
 * (the benchmark ended, however it ended) or after the number of seconds in argv[2].
 *
 *   forked by load-client.ts: node dist/fanout/load-generator.js MAX_SECONDS
 */
import type { BytesResult, GroupResult, JoinsResult, Reply, Request, Target } from './load-protocol.js';
import { Player, type PlayerMode } from './rtmp-player.js';

const groups = new Map<number, Player[]>();
let nextGroup = 1;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The first few distinct errors, and where the players still waiting are stuck. */
function distinctErrors(players: readonly Player[]): string[] {
  const seen = new Map<string, number>();
  const count = (text: string): void => void seen.set(text, (seen.get(text) ?? 0) + 1);
  for (const player of players) {
    if (player.reached) continue;
    count(player.error !== undefined ? `${player.error} (at ${player.stage})` : `waiting at ${player.stage}`);
  }
  return [...seen].slice(0, 6).map(([text, times]) => `${times}× ${text}`);
}

async function startGroup(target: Target, mode: PlayerMode, count: number, perSecond: number, settleMs: number, stall = false): Promise<GroupResult> {
  const group = nextGroup++;
  const players: Player[] = [];
  groups.set(group, players);
  let settled = 0;
  let wake: (() => void) | undefined;
  const onSettled = (): void => {
    settled++;
    if (settled === count) wake?.();
  };
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
  while (players.length < count) {
    for (let i = 0; i < perTick && players.length < count; i++) players.push(new Player(target, mode, onSettled, stall));
    await sleep(tickMs);
  }
  if (settled < count) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, settleMs);
    });
  }
  const reached = players.filter((player) => player.reached);
  return {
    group,
    started: players.length,
    reached: reached.length,
    failed: players.filter((player) => !player.reached && player.error !== undefined).length,
    pending: players.filter((player) => !player.reached && player.error === undefined).length,
    errors: distinctErrors(players),
    ms: reached.map((player) => (mode === 'play' ? player.keyframeMs : player.connectedMs)),
  };
}

async function joins(target: Target, count: number, gapMs: number, timeoutMs: number): Promise<JoinsResult> {
  const ms: Array<number | null> = [];
  const players: Player[] = [];
  for (let i = 0; i < count; i++) {
    const player = await new Promise<Player>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const created: Player = new Player(target, 'play', (done) => {
        clearTimeout(timer);
        resolve(done);
      });
      timer = setTimeout(() => resolve(created), timeoutMs);
    });
    player.close();
    players.push(player);
    ms.push(player.reached ? player.keyframeMs : null);
    if (i + 1 < count) await sleep(gapMs);
  }
  return { ms, errors: distinctErrors(players) };
}

function bytesOf(group: number): BytesResult {
  const players = groups.get(group) ?? [];
  return { bytes: players.map((player) => player.bytes), open: players.filter((player) => !player.closed).length };
}

function close(group: number): null {
  for (const player of groups.get(group) ?? []) player.close();
  groups.delete(group);
  return null;
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'play':
    case 'connect':
      return startGroup(request.target, request.op, request.count, request.perSecond, request.settleMs, request.op === 'play' && request.stallAfterKeyframe === true);
    case 'bytes':
      return bytesOf(request.group);
    case 'close':
      return close(request.group);
    case 'joins':
      return joins(request.target, request.count, request.gapMs, request.timeoutMs);
    default:
      throw new Error(`unknown request ${JSON.stringify(request)}`);
  }
}

const send = (reply: Reply): void => void process.send?.(reply);

process.on('message', (request: Request) => {
  handle(request).then(
    (result) => send({ id: request.id, ok: true, result }),
    (error: unknown) => send({ id: request.id, ok: false, error: (error as Error).message ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
const maxSeconds = Number(process.argv[2] ?? 3600);
setTimeout(() => process.exit(3), maxSeconds * 1000).unref();
if (!process.send) {
  process.stderr.write('load-generator.js is started by the fan-out benchmark (with an IPC channel)\n');
  process.exit(2);
}
