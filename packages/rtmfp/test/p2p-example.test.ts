import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, packageDir } from './helpers/build.js';

/** Runs `node examples/<file> ...args` to its end (killed after `timeoutMs`). */
function runExample(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(packageDir, 'examples', file), ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('examples/video-chat.mjs (run with node, as the README says)', () => {
  beforeAll(() => ensureBuilt(), 150_000);

  it('two clients play each other\'s camera directly; the server only introduces them (1 MiB each way, a few kB at the server)', async () => {
    const result = await runExample('video-chat.mjs', ['1'], 90_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      bytesEachWay: number;
      sides: { name: string; received: number; frames: number; inOrder: boolean }[];
      server: { bytesReceived: number; bytesSent: number; introductions: number };
    };
    expect(summary.bytesEachWay).toBe(1024 * 1024);
    for (const side of summary.sides) {
      expect(side.received).toBeGreaterThanOrEqual(1024 * 1024);
      expect(side.inOrder).toBe(true);
    }
    expect(result.stdout).toMatch(/alice: peer [0-9a-f]{12}… plays my camera/);
    expect(result.stdout).toMatch(/bob: peer [0-9a-f]{12}… plays my camera/);
    expect(summary.server.introductions).toBe(2);
    // Two clients' connect, setPeerInfo, directory calls and two introductions: a few kB.
    expect(summary.server.bytesReceived + summary.server.bytesSent).toBeLessThan(16 * 1024);
  }, 120_000);
});
