// Child processes with bounded time and captured output, in an environment without what the test
// runner and the package manager of the workspace put there.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';

/**
 * The environment for programs run as a user would run them: without vitest's markers (the server
 * is quiet under vitest, an inner vitest would think it is a worker), without what `pnpm run`
 * adds about the workspace package, and without the NODE_PATH pnpm sets (it would let a program
 * find the workspace's node_modules).
 * @param {Record<string, string>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
export function userEnv(extra = {}) {
  const env = { ...process.env };
  const underVitest = Boolean(env.VITEST);
  for (const key of Object.keys(env)) {
    if (
      /^(VITEST|TEST$|TINYPOOL|NODE_PATH$|npm_package_|npm_lifecycle_|npm_config_user_agent$|npm_execpath$|npm_node_execpath$|npm_command$|PNPM_|pnpm_config_|INIT_CWD$|TURBO_)/.test(key) ||
      (underVitest && /^(BASE_URL|MODE|DEV|PROD|SSR)$/.test(key))
    ) {
      delete env[key];
    }
  }
  if (env.NODE_ENV === 'test') delete env.NODE_ENV;
  return { ...env, ...extra };
}

export class CommandError extends Error {
  constructor(message, result) {
    super(message);
    this.name = 'CommandError';
    this.result = result;
  }
}

/**
 * Runs a command to its end. Resolves with `{ code, stdout, stderr, durationMs }`; rejects with a
 * `CommandError` (whose message holds the output's tail) on a non-zero exit unless `allowFailure`,
 * and on a time-out (the process group is killed).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, allowFailure?: boolean }} [options]
 */
export function run(command, args, options = {}) {
  const { cwd, env = userEnv(), timeoutMs = 120_000, allowFailure = false } = options;
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandError(`${command} ${args.join(' ')}: ${error.message}`, { code: -1, stdout, stderr, durationMs: Date.now() - started }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code: code ?? -1, stdout, stderr, durationMs: Date.now() - started };
      const where = cwd ? ` (in ${cwd})` : '';
      if (timedOut) {
        reject(new CommandError(`${command} ${args.join(' ')}${where} did not finish in ${timeoutMs} ms\n${tail(stdout, stderr)}`, result));
      } else if (code !== 0 && !allowFailure) {
        reject(new CommandError(`${command} ${args.join(' ')}${where} exited with ${code ?? signal}\n${tail(stdout, stderr)}`, result));
      } else {
        resolvePromise(result);
      }
    });
  });
}

/**
 * Starts a long-running command (a server). `stop()` sends SIGINT, then SIGKILL to the process group
 * after `graceMs`, and resolves with the exit code and output.
 */
export function start(command, args, options = {}) {
  const { cwd, env = userEnv() } = options;
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (text) => (output.stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (output.stderr += text));
  const exited = new Promise((resolvePromise) => {
    child.on('error', (error) => {
      output.stderr += `\n${error.message}`;
      resolvePromise({ code: -1, signal: null });
    });
    child.on('close', (code, signal) => resolvePromise({ code, signal }));
  });
  return {
    child,
    output,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        killTree(child, 'SIGINT');
        const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return { ...(await exited), ...output };
    },
  };
}

function killTree(child, signal = 'SIGKILL') {
  try {
    if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/** Resolves once something accepts TCP connections on host:port; rejects after `timeoutMs`. */
export async function waitForPort(port, host = '127.0.0.1', timeoutMs = 30_000, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolvePromise) => {
      const socket = connect(port, host, () => {
        socket.destroy();
        resolvePromise(true);
      });
      socket.on('error', () => resolvePromise(false));
    });
    if (open) return;
    if (!isAlive()) throw new Error(`the process exited before ${host}:${port} accepted connections`);
    if (Date.now() > deadline) throw new Error(`nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
  }
}

/** Whether host:port is free to listen on right now. */
export async function portIsFree(port, host = '127.0.0.1') {
  return new Promise((resolvePromise) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolvePromise(false);
    });
    socket.on('error', () => resolvePromise(true));
  });
}

function tail(stdout, stderr, max = 4000) {
  const text = [stdout.trim() && `--- stdout\n${stdout.trim()}`, stderr.trim() && `--- stderr\n${stderr.trim()}`].filter(Boolean).join('\n');
  return text.length > max ? `…${text.slice(-max)}` : text;
}
