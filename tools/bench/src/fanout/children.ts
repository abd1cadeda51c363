/**
 * Child processes of the benchmark. Each one runs under coreutils `timeout`, so it stops by
 * itself even if this process is killed outright; all of them are stopped on exit, on an error
 * and on SIGINT/SIGTERM. The processes to measure are the ones *below* the `timeout` wrapper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { descendantsOf } from './proc-stats.js';

export interface BoundedChild {
  name: string;
  process: ChildProcess;
  /** The `timeout` wrapper's pid. */
  wrapperPid: number;
  /** The processes under the wrapper (the program and its own children). */
  pids(): number[];
  /** Last output (stdout and stderr), for error messages. */
  output(): string;
  exited(): boolean;
  /** Settles when the wrapper has exited. */
  done: Promise<void>;
  /** SIGTERM (forwarded by `timeout`), then SIGKILL to everything after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<BoundedChild>();
const cleanups: Array<() => void> = [];

/** Something else to kill synchronously on exit (e.g. the forked load generator). */
export function registerCleanup(kill: () => void): void {
  cleanups.push(kill);
}

/** A temporary folder removed on exit, whatever happens (a server's prefix or store). */
export function removeOnExit(dir: string): void {
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
}

export interface SpawnOptions {
  /** Hard limit: `timeout` sends SIGTERM after this, SIGKILL 5 s later. */
  maxSeconds: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function spawnBounded(name: string, command: string, args: readonly string[], options: SpawnOptions): BoundedChild {
  const child = spawn('timeout', ['--kill-after=5', String(Math.ceil(options.maxSeconds)), command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  let tail = '';
  const keep = (text: string): void => {
    tail = (tail + text).slice(-8000);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  let exitedFlag = false;
  const done = new Promise<void>((resolve) => {
    child.once('close', () => {
      exitedFlag = true;
      resolve();
    });
    child.once('error', (error) => {
      keep(`\n${error.message}`);
      exitedFlag = true;
      resolve();
    });
  });
  const handle: BoundedChild = {
    name,
    process: child,
    wrapperPid: child.pid ?? -1,
    pids: () => (child.pid === undefined || exitedFlag ? [] : descendantsOf(child.pid)),
    output: () => tail,
    exited: () => exitedFlag,
    done,
    async stop(graceMs = 5000) {
      if (!exitedFlag) {
        const under = handle.pids();
        child.kill('SIGTERM');
        const timer = setTimeout(() => killAll([...under, ...handle.pids()], child), graceMs);
        await done;
        clearTimeout(timer);
        killAll(under, undefined); // anything left behind by a program that forked
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  void done.then(() => running.delete(handle));
  return handle;
}

function killAll(pids: readonly number[], wrapper: ChildProcess | undefined): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  wrapper?.kill('SIGKILL');
}

/** Synchronous last resort (process 'exit'): SIGKILL to every child still running. */
export function killChildrenNow(): void {
  for (const handle of running) killAll(handle.pids(), handle.process);
  running.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort
    }
  }
}

/** Graceful stop of every child still running. */
export async function stopChildren(): Promise<void> {
  await Promise.all([...running].map((handle) => handle.stop(3000)));
}
