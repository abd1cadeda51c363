import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { peerPath } from '@rtmpkit/test-peers';

/** The port rtmpsrv always listens on (0.0.0.0, not configurable). */
export const RTMPSRV_PORT = 1935;

/** True when something holds TCP port 1935 here, so rtmpsrv could not bind it. */
export function port1935Busy(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(RTMPSRV_PORT, '0.0.0.0', () => probe.close(() => resolve(false)));
  });
}

export interface RunningRtmpsrv {
  /** What rtmpsrv logged so far (stderr and stdout). */
  log(): string;
  /** Waits until the log matches `pattern` (or `timeoutMs` passed; then returns false). */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts `rtmpsrv -z` (debug log). Its stdin is a pipe we never write to: rtmpsrv reads commands
 * from stdin and spins on end-of-file. Killed after `timeoutMs` at the latest.
 */
export async function startRtmpsrv(timeoutMs = 60_000): Promise<RunningRtmpsrv> {
  const child: ChildProcess = spawn(peerPath('rtmpsrv'), ['-z'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const append = (text: string) => (output = (output + text).slice(-400_000));
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const waitForLog = async (pattern: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  };
  const running: RunningRtmpsrv = {
    log: () => output,
    waitForLog,
    async stop() {
      clearTimeout(killer);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(hard);
      }
    },
  };
  if (!(await waitForLog(/Streaming on rtmp:\/\//, 5000))) {
    await running.stop();
    throw new Error(`rtmpsrv did not start listening:\n${output}`);
  }
  return running;
}
