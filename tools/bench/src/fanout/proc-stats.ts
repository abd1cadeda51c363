/**
 * What a server costs, read from /proc (Linux): CPU time (utime + stime, all threads of each
 * process) and resident memory (VmRSS), summed over a set of processes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of the utime/stime fields (getconf CLK_TCK; 100 on Linux/x86). */
const CLOCK_TICKS = ((): number => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds a process has used so far, user and system; zeros once it is gone. */
export function cpuTimes(pid: number): { userS: number; systemS: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userS: Number(fields[11]) / CLOCK_TICKS, systemS: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return { userS: 0, systemS: 0 };
  }
}

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  const { userS, systemS } = cpuTimes(pid);
  return userS + systemS;
}

/** Resident set size in bytes (VmRSS); 0 once the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Direct children of `pid`, from /proc/<pid>/task/<tid>/children. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tasks) {
    try {
      for (const word of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) {
        if (word.trim() !== '') children.push(Number(word));
      }
    } catch {
      // the thread ended meanwhile
    }
  }
  return children;
}

/** Every process below `pid` (children, grandchildren, ...), not `pid` itself. */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...childrenOf(next));
  }
  return found;
}

export interface ProcSample {
  /** Seconds of CPU (user + system) of all the processes. */
  cpuS: number;
  /** The system (kernel) part of `cpuS`. */
  systemS: number;
  rssBytes: number;
  /** Wall clock of the sample, ms (performance.now()). */
  at: number;
}

export function sampleProcesses(pids: readonly number[]): ProcSample {
  let cpuS = 0;
  let systemS = 0;
  let rss = 0;
  for (const pid of pids) {
    const times = cpuTimes(pid);
    cpuS += times.userS + times.systemS;
    systemS += times.systemS;
    rss += rssBytes(pid);
  }
  return { cpuS, systemS, rssBytes: rss, at: performance.now() };
}
