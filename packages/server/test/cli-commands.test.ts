import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeWithPeers, freePort, makeTestFlv, runPeer, startPeer, type RunningPeer, type RunResult } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlvTags } from './helpers/flv.js';
import { ffmpegPublish, ffprobe } from './helpers/peers.js';
import { until } from './helpers/test-server.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(packageDir, 'bin', 'rtmpkit.js');

/** Newest modification time under `dir` (ms). */
function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((entry) => (entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs)));
}

/** The tests run the built bin: build dist/ first when it is missing or older than src/. */
function ensureBuilt(): void {
  const main = join(packageDir, 'dist', 'cli', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newest(join(packageDir, 'src'))) return;
  execFileSync(process.execPath, [join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'pipe', timeout: 120_000 });
}

/** Runs `rtmpkit <args>` to the end (killed after `timeoutMs`). */
function rtmpkit(args: string[], timeoutMs = 20_000, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runPeer('env', [...Object.entries(env).map(([key, value]) => `${key}=${value}`), process.execPath, bin, ...args], { timeoutMs });
}

/** Starts `rtmpkit serve <args>` and resolves once it says it is serving (or rejects with its output). */
async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<RunningPeer & { stderr: () => string }> {
  const peer = startPeer('env', [...Object.entries(env).map(([key, value]) => `${key}=${value}`), process.execPath, bin, 'serve', ...args], { timeoutMs: 120_000 });
  let stderr = '';
  peer.child.stderr!.on('data', (text: string) => (stderr += text));
  let exited = false;
  void peer.done.then(() => (exited = true));
  try {
    await until(() => stderr.includes('Press Ctrl-C to stop.') || exited, 'rtmpkit serve to be ready', 30_000);
  } catch (error) {
    await peer.stop();
    throw error;
  }
  if (exited) throw new Error(`rtmpkit serve exited: ${stderr}`);
  return Object.assign(peer, { stderr: () => stderr });
}

describe('rtmpkit usage errors (the built bin, no peers)', () => {
  beforeAll(() => ensureBuilt(), 150_000);

  it('prints usage, and says what is wrong with exit code 2 for bad commands, flags and URLs', async () => {
    const help = await rtmpkit(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/rtmpkit serve \[options\]/);
    const unknown = await rtmpkit(['nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "nope"/);
    const flag = await rtmpkit(['serve', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--bogus' \(see rtmpkit serve --help\)/);
    const port = await rtmpkit(['serve', '--http-port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--http-port must be a port number/);
    const url = await rtmpkit(['probe', 'rtmp://127.0.0.1:1935/live']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/needs an application and a stream name/);
    const scheme = await rtmpkit(['play', 'http://127.0.0.1/live/x', '-o', 'x.flv']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(/unknown scheme "http:"/);
  }, 60_000);

  it('a file that does not exist, and a server that is not there, are one clear line each (exit 1)', async () => {
    const missing = await rtmpkit(['publish', '/nonexistent/in.flv', 'rtmp://127.0.0.1:1935/live/x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('rtmpkit publish: file not found: /nonexistent/in.flv');
    const port = await freePort();
    const refused = await rtmpkit(['probe', `rtmp://127.0.0.1:${port}/live/x`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`could not connect to 127.0.0.1:${port}: connection refused`));
    const config = await rtmpkit(['serve', '--config', '/nonexistent/rtmpkit.json']);
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/config file not found: \/nonexistent\/rtmpkit.json/);
  }, 40_000);

  it('a port in use: which transport, which port, and the flag to move it', async () => {
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await rtmpkit(['serve', '--host', '127.0.0.1', '--rtmp-port', String(port), '--no-rtmps', '--no-rtmfp', '--no-http', '--log-level', 'silent']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`TCP port ${port} on 127.0.0.1 is already in use`));
      expect(run.stderr).toMatch(/--rtmp-port <port>/);
      expect(run.stderr).not.toMatch(/at .*\.js/); // no stack trace
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('rtmpkit serve keeps the young generation small (the built heap-tuning module, in a child process)', () => {
  beforeAll(() => ensureBuilt(), 150_000);

  /** Keeps 40 000 small objects across 200 turns (as a ramp of connections does) and reports V8's new space before and after. */
  function probe(tune: boolean, nodeArgs: string[] = []): { before: number; after: number; tuned: boolean } {
    const module = join(packageDir, 'dist', 'cli', 'heap-tuning.js');
    const script = `
      import { getHeapSpaceStatistics } from 'node:v8';
      import { keepYoungGenerationSmall } from ${JSON.stringify(module)};
      const newSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
      const tuned = ${tune} ? keepYoungGenerationSmall() : false;
      const before = newSpace();
      const kept = [];
      for (let round = 0; round < 200; round++) {
        for (let i = 0; i < 200; i++) kept.push({ round, i, data: new Array(16).fill(round) });
        await new Promise((resolve) => setImmediate(resolve));
      }
      console.log(JSON.stringify({ before, after: newSpace(), tuned, kept: kept.length }));`;
    const output = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
    return JSON.parse(output) as { before: number; after: number; tuned: boolean };
  }

  it('V8 grows the young generation under long-lived allocations by default; with the tuning it stays near its start', () => {
    const plain = probe(false);
    expect(plain.after).toBeGreaterThanOrEqual(8 * plain.before); // the control: this workload does make V8 grow it
    const tuned = probe(true);
    expect(tuned.tuned).toBe(true);
    expect(tuned.after).toBeLessThanOrEqual(2 * tuned.before);
  });

  it('leaves the young generation alone when the operator sized it', () => {
    expect(probe(true, ['--max-semi-space-size=8']).tuned).toBe(false);
  });
});

describeWithPeers('rtmpkit serve, play, probe and publish (the built bin, with ffmpeg and ffprobe)', ['ffmpeg', 'ffprobe'], () => {
  let dir: string;
  let server: RunningPeer & { stderr: () => string };
  let ports: { rtmp: number; rtmps: number; rtmfp: number; http: number };
  let publisher: RunningPeer;
  let shortFile: string;
  const url = (scheme: string, port: number, name: string) => `${scheme}://127.0.0.1:${port}/live/${name}`;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-cli-'));
    const [file, short] = await Promise.all([makeTestFlv({ seconds: 10, gop: 25 }), makeTestFlv({ seconds: 4 })]);
    shortFile = short;
    ports = { rtmp: await freePort(), rtmps: await freePort(), rtmfp: await freePort(), http: await freePort() };
    const flags = ['--host', '127.0.0.1', '--rtmp-port', ports.rtmp, '--rtmps-port', ports.rtmps, '--rtmfp-port', ports.rtmfp, '--http-port', ports.http, '--record-dir', join(dir, 'rec')];
    server = await serve(flags.map(String), { XDG_CACHE_HOME: join(dir, 'cache') });
    publisher = ffmpegPublish(file, url('rtmp', ports.rtmp, 'cli'), { loop: true });
    const probeUntilLive = async (): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const response = await fetch(`http://127.0.0.1:${ports.http}/api/streams/live/cli`).catch(() => undefined);
        if (response?.ok && ((await response.json()) as { gop: { messages: number } }).gop.messages > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('cli never went live');
    };
    await probeUntilLive();
  }, 120_000);

  afterAll(async () => {
    await publisher?.stop();
    if (server) {
      const result = await server.stop();
      expect(result.code, result.stderr).toBe(0); // SIGTERM: a graceful shutdown
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serve lists every transport on the ports it was given', () => {
    const text = server.stderr();
    expect(text).toContain(`rtmpe  tcp 127.0.0.1:${ports.rtmp}`);
    expect(text).toContain(`rtmps  tcp 127.0.0.1:${ports.rtmps}`);
    expect(text).toContain(`rtmfp  udp 127.0.0.1:${ports.rtmfp}`);
    expect(text).toContain(`http   tcp 127.0.0.1:${ports.http}`);
    expect(text).toContain('rtmpt://, rtmpte:// on the same port');
  });

  it('play -o out.flv -t 3 records three seconds that ffprobe reads', async () => {
    const out = join(dir, 'out.flv');
    const started = Date.now();
    const run = await rtmpkit(['play', url('rtmp', ports.rtmp, 'cli'), '-o', out, '-t', '3'], 30_000);
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(run.stderr).toBe(''); // progress only on a terminal
    const probe = await ffprobe(out);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    // Three seconds of media from 0: the sequence header, then the cached keyframe at 0, then on.
    const video = readFlvTags(out).filter((tag) => tag.type === 9);
    expect(video[0]!.payload[1]).toBe(0);
    expect(video[1]!.timestamp).toBe(0);
    expect(video.at(-1)!.timestamp).toBeGreaterThanOrEqual(2900);
    expect(video.length).toBeGreaterThanOrEqual(70);
  }, 40_000);

  it('probe prints the codecs, over rtmp and over rtmpe on the same port', async () => {
    for (const scheme of ['rtmp', 'rtmpe']) {
      const run = await rtmpkit(['probe', url(scheme, ports.rtmp, 'cli')]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^video\s+h264 320x240 25 fps$/m);
      expect(run.stdout).toMatch(/^audio\s+aac 44100 Hz/m);
      expect(run.stdout).toMatch(/^\s+width\s+320$/m);
    }
  }, 40_000);

  it('probe --json over rtmps (development certificate, --insecure) and over rtmpt', async () => {
    const tls = await rtmpkit(['probe', '--json', '--insecure', url('rtmps', ports.rtmps, 'cli')]);
    expect(tls.code, tls.stderr).toBe(0);
    expect(JSON.parse(tls.stdout)).toMatchObject({ video: { codec: 'h264', width: 320, height: 240 }, audio: { codec: 'aac' } });
    const strict = await rtmpkit(['probe', url('rtmps', ports.rtmps, 'cli')]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/--insecure/);
    const tunnel = await rtmpkit(['probe', '--json', url('rtmpt', ports.http, 'cli')]);
    expect(tunnel.code, tunnel.stderr).toBe(0);
    expect(JSON.parse(tunnel.stdout)).toMatchObject({ video: { codec: 'h264' }, audio: { codec: 'aac' } });
  }, 60_000);

  it('probe over rtmfp (UDP) on its port', { timeout: 30_000 }, async () => {
    const run = await rtmpkit(['probe', '--json', url('rtmfp', ports.rtmfp, 'cli')]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ video: { codec: 'h264' }, audio: { codec: 'aac' } });
  });

  it('publish file.flv paces in real time, and ffprobe plays it back from the server', async () => {
    const started = Date.now();
    const publishing = rtmpkit(['publish', shortFile, url('rtmp', ports.rtmp, 'pub')]);
    let probe: Awaited<ReturnType<typeof ffprobe>> | undefined;
    for (let attempt = 0; attempt < 20 && !probe?.streams.length; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      probe = await ffprobe(`http://127.0.0.1:${ports.http}/live/pub.flv`);
    }
    expect(probe!.streams.map((s) => s.codec_name).sort(), probe!.run.stderr).toEqual(['aac', 'h264']);
    const run = await publishing;
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3500); // a 4 s file, in real time
    expect(run.stderr).toBe('');
  }, 30_000);

  it('publish to a name that is taken says so (exit 1)', async () => {
    const run = await rtmpkit(['publish', shortFile, url('rtmp', ports.rtmp, 'cli')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the server refused to publish live\/cli: NetStream\.Publish\.BadName/);
  });

  it('play -o into a folder that does not exist fails before connecting', async () => {
    const run = await rtmpkit(['play', url('rtmp', ports.rtmp, 'cli'), '-o', join(dir, 'no', 'such', 'out.flv')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot write .*out\.flv: its folder does not exist/);
  });
});
