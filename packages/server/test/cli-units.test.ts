import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CommandError } from '@rtmpkit/core';
import { rtmp } from '@rtmpkit/rtmp';
import { freePort } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/cli-error.js';
import { describeCodec, formatProbe } from '../src/cli/probe-command.js';
import { formatClock, Progress } from '../src/cli/progress.js';
import { serveConfigFromArgs } from '../src/cli/serve-args.js';
import { listenProblem, runServe } from '../src/cli/serve-command.js';
import { parseStreamUrl } from '../src/cli/stream-url.js';
import { ServerListenError } from '../src/index.js';

describe('rtmpkit serve configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-cli-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, json: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
    return path;
  };

  it('defaults: every transport on its documented port, tunnel and dashboard on, no auth', () => {
    const { config } = serveConfigFromArgs([], {});
    expect(config).toEqual({
      host: '0.0.0.0',
      rtmp: { port: 1935, rtmpe: true },
      rtmps: { port: 1936 },
      rtmfp: { port: 1935 },
      http: { port: 8080, tunnel: true, dashboard: true },
      recordAll: false,
      logLevel: 'info',
    });
  });

  it('the config file is read, paths relative to it; the environment and then flags override it', () => {
    const path = file('a.json', {
      host: '127.0.0.1',
      rtmp: { port: 2935, rtmpe: false },
      rtmps: { port: 2936, cert: 'tls/cert.pem', key: 'tls/key.pem' },
      rtmfp: false,
      http: { port: 9090, apiToken: 'from-file' },
      mediaDir: 'media',
      recordDir: 'rec',
      auth: { secret: 'file secret', require: ['play'] },
      apps: ['live'],
      logLevel: 'warn',
    });
    const { config } = serveConfigFromArgs(['--config', path, '--http-port', '9191', '--record-all'], { RTMPKIT_API_TOKEN: 'from-env' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      rtmp: { port: 2935, rtmpe: false },
      rtmps: { port: 2936, cert: join(dir, 'tls/cert.pem'), key: join(dir, 'tls/key.pem') },
      rtmfp: false,
      http: { port: 9191, tunnel: true, apiToken: 'from-env' },
      mediaDir: join(dir, 'media'),
      recordDir: join(dir, 'rec'),
      recordAll: true,
      auth: { secret: 'file secret', require: ['play'] },
      apps: ['live'],
      logLevel: 'warn',
    });
    expect(serveConfigFromArgs(['--config', path, '--secret', 'flag secret', '--sign', 'publish'], { RTMPKIT_SECRET: 'env secret' }).config.auth).toEqual({ secret: 'flag secret', require: ['publish'] });
    expect(serveConfigFromArgs([], { RTMPKIT_SECRET: 'env secret' }).config.auth).toEqual({ secret: 'env secret', require: ['publish', 'play'] });
  });

  it('turning transports off, and mistakes said as what to fix', () => {
    const off = serveConfigFromArgs(['--no-rtmps', '--no-rtmfp', '--no-tunnel', '--no-rtmpe'], {}).config;
    expect(off).toMatchObject({ rtmps: false, rtmfp: false, http: { tunnel: false }, rtmp: { rtmpe: false } });
    const fails = (argv: string[], message: RegExp, exitCode = 2): void => {
      let thrown: unknown;
      try {
        serveConfigFromArgs(argv, {});
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CliError);
      expect((thrown as CliError).message).toMatch(message);
      expect((thrown as CliError).exitCode).toBe(exitCode);
    };
    fails(['--rtmp-port', '8080'], /rtmp \(--rtmp-port\) and http \(--http-port\) are both on TCP port 8080/);
    fails(['--record-all'], /--record-all needs --record-dir/);
    fails(['--tls-cert', 'c.pem'], /--tls-cert and --tls-key go together/);
    fails(['--sign', 'play'], /--sign needs a secret/);
    fails(['--log-level', 'loud'], /--log-level must be one of/);
    fails(['--no-rtmp', '--no-rtmps', '--no-rtmfp', '--no-http'], /every transport is turned off/);
    fails(['extra'], /serve takes no arguments/);
    fails(['--config', file('typo.json', { rtmpPort: 1 })], /unknown key "\(top level\)\.rtmpPort"/, 1);
    fails(['--config', file('bad.json', '{ nope')], /is not valid JSON/, 1);
    fails(['--config', file('port.json', { http: { port: 'x' } })], /http.port must be a port number/);
  });

  it('--max-sessions and --max-sinks-per-stream, or maxSessions and maxSinksPerStream in the file; flags win', () => {
    expect(serveConfigFromArgs([], {}).config).not.toHaveProperty('maxSessions');
    expect(serveConfigFromArgs([], {}).config).not.toHaveProperty('maxSinksPerStream');
    expect(serveConfigFromArgs(['--max-sessions', '20000', '--max-sinks-per-stream', '5000'], {}).config).toMatchObject({ maxSessions: 20_000, maxSinksPerStream: 5000 });
    const path = file('limits.json', { maxSessions: 3000, maxSinksPerStream: 2500 });
    expect(serveConfigFromArgs(['--config', path], {}).config).toMatchObject({ maxSessions: 3000, maxSinksPerStream: 2500 });
    expect(serveConfigFromArgs(['--config', path, '--max-sessions', '4000'], {}).config).toMatchObject({ maxSessions: 4000, maxSinksPerStream: 2500 });
    const fails = (argv: string[], message: RegExp): void => {
      expect(() => serveConfigFromArgs(argv, {})).toThrow(message);
      try {
        serveConfigFromArgs(argv, {});
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).exitCode).toBe(2);
      }
    };
    for (const bad of ['0', '-1', '1.5', 'many', '', '1e3', '99999999999999999999']) {
      fails([`--max-sessions=${bad}`], /--max-sessions must be a whole number of at least 1, got /);
    }
    fails(['--max-sinks-per-stream', '0'], /--max-sinks-per-stream must be a whole number of at least 1, got "0"/);
    fails(['--config', file('zero.json', { maxSessions: 0 })], /zero\.json: maxSessions must be a whole number of at least 1, got 0/);
    fails(['--config', file('frac.json', { maxSinksPerStream: 2.5 })], /maxSinksPerStream must be a whole number of at least 1, got 2\.5/);
    fails(['--config', file('text.json', { maxSessions: 'lots' })], /maxSessions must be a whole number of at least 1, got "lots"/);
  });

  it('runServe hands --max-sessions to the server: the connection past it is refused as full', async () => {
    const port = await freePort();
    const { config } = serveConfigFromArgs(['--host', '127.0.0.1', '--rtmp-port', String(port), '--no-rtmpe', '--no-rtmps', '--no-rtmfp', '--no-http', '--log-level', 'silent', '--max-sessions', '1'], {});
    const stop = new AbortController();
    let ready = false;
    const running = runServe(config, {
      stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
      stderr: { write: (text: string) => void (ready ||= text.includes('Press Ctrl-C')) },
      signal: stop.signal,
    });
    try {
      const deadline = Date.now() + 10_000;
      while (!ready && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const first = await rtmp().connect(`rtmp://127.0.0.1:${port}/live`);
      const second = await rtmp().connect(`rtmp://127.0.0.1:${port}/live`).catch((error: unknown) => error);
      expect(second).toBeInstanceOf(CommandError);
      expect(JSON.stringify((second as CommandError).details)).toMatch(/The server is full/);
      await first.close();
    } finally {
      stop.abort();
      await running;
    }
  });
});

describe('rtmpkit client helpers', () => {
  it('parseStreamUrl: the last segment is the stream (with the query), the rest the app', () => {
    expect(parseStreamUrl('rtmp://127.0.0.1/live/cam1')).toMatchObject({ scheme: 'rtmp', host: '127.0.0.1', port: 1935, app: 'live', name: 'cam1', connectUrl: 'rtmp://127.0.0.1:1935/live' });
    expect(parseStreamUrl('rtmps://[::1]:4443/vod/room1/cam%201?exp=1&sig=x')).toMatchObject({ host: '::1', port: 4443, app: 'vod/room1', name: 'cam 1?exp=1&sig=x', connectUrl: 'rtmps://[::1]:4443/vod/room1' });
    expect(parseStreamUrl('rtmpt://h/live/x').port).toBe(80);
    expect(() => parseStreamUrl('rtmp://h/live')).toThrow(/needs an application and a stream name/);
    expect(() => parseStreamUrl('ftp://h/live/x')).toThrow(/unknown scheme "ftp:"/);
    expect(() => parseStreamUrl('not a url')).toThrow(/bad URL/);
  });

  it('Progress writes only to a terminal, in place, with time, bitrate and bytes', () => {
    const written: string[] = [];
    let now = 0;
    const tty = new Progress('publishing live/x', { isTTY: true, write: (text: string) => written.push(text) }, 250, () => now);
    for (let i = 1; i <= 20; i++) {
      now = i * 100;
      tty.add(12_500, i * 100); // 1 Mb/s
    }
    tty.finish(2000, 'done');
    expect(written.length).toBeGreaterThan(3);
    expect(written.at(-2)).toMatch(/^\r\x1b\[Kpublishing live\/x {2}00:00:02\.0 {2}1000 kb\/s {2}250\.0 kB {2}done$/);
    expect(written.at(-1)).toBe('\n');
    const quiet: string[] = [];
    const pipe = new Progress('x', { isTTY: false, write: (text: string) => quiet.push(text) });
    pipe.add(100, 100);
    pipe.finish(100);
    expect(quiet).toEqual([]);
    expect(formatClock(3_723_400)).toBe('01:02:03.4');
  });

  it('listenProblem names the port, what uses it, and the flag', () => {
    const inUse = listenProblem(new ServerListenError('rtmfp', '127.0.0.1', 1935, 'x', { cause: Object.assign(new Error('in use'), { code: 'EADDRINUSE' }) }));
    expect(inUse.message).toBe(
      "rtmfp: UDP port 1935 on 127.0.0.1 is already in use. Stop the program that uses it (`ss -lunp 'sport = :1935'` shows which), or pick another port with --rtmfp-port <port> (or turn it off with --no-rtmfp).",
    );
    const denied = listenProblem(new ServerListenError('rtmps', undefined, 443, 'x', { cause: Object.assign(new Error('denied'), { code: 'EACCES' }) }));
    expect(denied.message).toMatch(/ports below 1024 need root or CAP_NET_BIND_SERVICE. Pick a port above 1023 with --rtmps-port/);
  });

  it('probe output: one line per track and the plain metadata', () => {
    expect(describeCodec({ codec: 'h264', width: 640, height: 360, frameRate: 29.97 })).toBe('h264 640x360 29.97 fps');
    expect(describeCodec({ codec: 'aac', sampleRate: 48_000, channels: 1 })).toBe('aac 48000 Hz mono');
    const text = formatProbe({ url: 'rtmp://h/live/x', server: 'FMS/3,0,1,123', metadata: { width: 640, encoder: 'Lavf', keyframes: { times: [] } }, video: { codec: 'h264' }, audio: undefined, messages: 3 });
    expect(text).toBe('url       rtmp://h/live/x\nserver    FMS/3,0,1,123\nvideo     h264\naudio     none\nmetadata\n  width              640\n  encoder            Lavf\n');
  });
});
