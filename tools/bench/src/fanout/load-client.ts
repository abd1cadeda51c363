/** The benchmark's side of the load generator: forks it and sends it requests (load-protocol.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { registerCleanup } from './children.js';
import type { BytesResult, GroupResult, JoinsResult, Reply, RequestBody, Target } from './load-protocol.js';
import { FANOUT_DIST_DIR } from './paths.js';

export class LoadGenerator {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const entry = this.waiting.get(reply.id);
      if (!entry) return;
      this.waiting.delete(reply.id);
      if (reply.ok) entry.resolve(reply.result);
      else entry.reject(new Error(`load generator: ${reply.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const entry of this.waiting.values()) entry.reject(new Error(`the load generator exited (${signal ?? code})`));
      this.waiting.clear();
    });
    registerCleanup(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  }

  /** Forks the load generator; it exits by itself after `maxSeconds` at the latest. */
  static start(maxSeconds: number): LoadGenerator {
    const child = fork(`${FANOUT_DIST_DIR}load-generator.js`, [String(Math.ceil(maxSeconds))], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new LoadGenerator(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private request<T>(body: RequestBody): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...body, id });
    });
  }

  play(target: Target, count: number, perSecond: number, settleMs: number, stallAfterKeyframe = false): Promise<GroupResult> {
    return this.request({ op: 'play', target, count, perSecond, settleMs, stallAfterKeyframe });
  }

  connectIdle(target: Target, count: number, perSecond: number, settleMs: number): Promise<GroupResult> {
    return this.request({ op: 'connect', target, count, perSecond, settleMs });
  }

  bytes(group: number): Promise<BytesResult> {
    return this.request({ op: 'bytes', group });
  }

  close(group: number): Promise<null> {
    return this.request({ op: 'close', group });
  }

  joins(target: Target, count: number, gapMs: number, timeoutMs: number): Promise<JoinsResult> {
    return this.request({ op: 'joins', target, count, gapMs, timeoutMs });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, 3000).unref();
  }
}
