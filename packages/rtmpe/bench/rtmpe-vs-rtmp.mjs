#!/usr/bin/env node
// CPU of one RTMPE stream against plain RTMP, in the same run, through a relay server in a child
// process, on loopback: one publisher and one player, both on the transport under test,
//   1. a ~2 Mbit/s stream sent in real time (30 fps video + AAC-sized audio), and
//   2. 64 KiB video messages pushed as fast as flow control allows (also over RTMPT and RTMPTE).
// Usage (after `pnpm turbo run build`):
//   node packages/rtmpe/bench/rtmpe-vs-rtmp.mjs [--only realtime,throughput] [--rounds 2]
//     [--seconds 20] [--realtime-transports rtmp,rtmpe] [--megabytes 200]
//     [--throughput-transports rtmp,rtmpe,rtmpt,rtmpte]
// Not run by the tests. Prints Markdown tables. Everything stops by itself.
//
// The server is a relay of ~30 lines (`runServer`) over the plain transports, not
// @rtmpkit/server: `rtmp().listen()`, `rtmpe().listen()`, and for the tunnels
// `createRtmptHandler()` / `createRtmpteHandler()` mounted on plain `node:http` servers (what
// `rtmpt().listen()` / `rtmpte().listen()` do). The relay waits for the player before taking the
// next message, so flow control reaches back to the publisher. Its process CPU
// (`process.cpuUsage()` of the child) is the "server" column; publisher and player run in this
// process (the "clients" column).
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { rtmp } from '@rtmpkit/rtmp';
import { createRtmptHandler, rtmpt } from '@rtmpkit/rtmpt';
import { createRtmpteHandler, rtmpe, rtmpte } from '../dist/index.js';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const list = (value) => String(value).split(',').filter(Boolean);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const cpuMs = (usage) => (usage.user + usage.system) / 1000;

// ---- the relay server (child process) ---------------------------------------------------------

async function runServer() {
  const players = new Map();
  const relay = async (stream, name) => {
    for await (const message of stream) {
      const shared = new Map();
      for (const player of players.get(name) ?? []) await player.send(message, { shared }).catch(() => {});
    }
  };
  const serve = (incoming) =>
    incoming.accept().then(
      (session) =>
        session.onStreamRequest({
          play({ stream, name }) {
            players.set(name, [...(players.get(name) ?? []), stream]);
            void stream.closed.then(() => players.set(name, (players.get(name) ?? []).filter((other) => other !== stream)));
          },
          publish({ stream, name }) {
            void relay(stream, name).catch(() => {});
          },
        }),
      () => {},
    );
  const accept = async (listener) => {
    for await (const incoming of listener) void serve(incoming);
  };
  const listeners = [];
  const ports = {};
  for (const [kind, transport] of [
    ['rtmp', rtmp()],
    ['rtmpe', rtmpe()],
  ]) {
    const listener = await transport.listen({ host: '127.0.0.1', port: 0 });
    listeners.push(listener);
    ports[kind] = listener.address.port;
    void accept(listener);
  }
  const https = [];
  for (const [kind, handler] of [
    ['rtmpt', createRtmptHandler()],
    ['rtmpte', createRtmpteHandler()],
  ]) {
    const http = createHttpServer((request, response) => handler.handleRequest(request, response) || response.writeHead(404).end());
    http.keepAliveTimeout = 30_000;
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    ports[kind] = http.address().port;
    https.push({ http, handler });
    void accept(handler);
  }
  const exit = () => {
    for (const listener of listeners) listener.close().catch(() => {});
    for (const { http, handler } of https) {
      handler.close().catch(() => {});
      http.closeAllConnections();
      http.close();
    }
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('disconnect', exit);
  process.on('message', (request) => {
    if (request.cmd === 'exit') return exit();
    process.send({ id: request.id, cpu: process.cpuUsage() });
  });
  process.send({ ready: true, ports });
}

async function startServer() {
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`relay server exited with ${code}`)));
    child.on('message', (message) => message.ready && resolve(message.ports));
  });
  let nextId = 0;
  const waiting = new Map();
  child.on('message', (message) => {
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const cpu = () =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, (message) => resolve(message.cpu));
      child.send({ cmd: 'cpu', id });
    });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.send({ cmd: 'exit' });
      setTimeout(() => child.kill(), 3000).unref();
    });
  return { ports, cpu, stop };
}

// ---- clients (this process) -------------------------------------------------------------------

const TRANSPORTS = {
  rtmp: [rtmp(), 'rtmp'],
  rtmpe: [rtmpe(), 'rtmpe'],
  rtmpt: [rtmpt(), 'rtmpt'],
  rtmpte: [rtmpte(), 'rtmpte'],
};
const POOL = randomBytes(1 << 20);

async function open(kind, ports, name, mode) {
  const [transport, scheme] = TRANSPORTS[kind];
  const session = await transport.connect(`${scheme}://127.0.0.1:${ports[kind]}/live`);
  const stream = await session.createStream();
  await (mode === 'play' ? stream.play(name) : stream.publish(name));
  return { session, stream };
}

const closeAll = (sessions) => Promise.race([Promise.allSettled(sessions.map((session) => session.close())), sleep(5000)]);

/**
 * `seconds` of a 2 Mbit/s stream: 30 fps video at 1.87 Mbit/s (a keyframe of 8 deltas every
 * 2 s) and 128 kbit/s of audio in 1024-sample AAC frames (43 a second), sorted by timestamp.
 */
function makeStream(seconds) {
  const delta = Math.round(((1_872_000 / 8) * 2) / (59 + 8));
  const messages = [];
  const slice = (length, seed) => POOL.subarray((seed * 7919) % (POOL.length - length), ((seed * 7919) % (POOL.length - length)) + length);
  for (let frame = 0; frame < seconds * 30; frame++) {
    const key = frame % 60 === 0;
    messages.push({ type: 9, timestamp: Math.round((frame * 1000) / 30), payload: Buffer.concat([Buffer.from([key ? 0x17 : 0x27, 1, 0, 0, 0]), slice(key ? delta * 8 : delta, frame)]) });
  }
  for (let frame = 0; frame < Math.round((seconds * 44_100) / 1024); frame++) {
    messages.push({ type: 8, timestamp: Math.round((frame * 1024) / 44.1), payload: Buffer.concat([Buffer.from([0xaf, 1]), slice(370, frame + 1)]) });
  }
  return messages.sort((a, b) => a.timestamp - b.timestamp);
}

/** Publishes `messages` (at their timestamps if `realtime`, else as fast as `send()` allows) and waits for the player to have them all. */
async function run(kind, ports, server, messages, realtime, name) {
  const totalBytes = messages.reduce((sum, message) => sum + message.payload.length, 0);
  const player = await open(kind, ports, name, 'play');
  const publisher = await open(kind, ports, name, 'publish');
  let received = 0;
  const reader = (async () => {
    for await (const message of player.stream) {
      if (message.type !== 8 && message.type !== 9) continue;
      received += message.payload.length;
      if (received >= totalBytes) break;
    }
  })();
  const serverBefore = await server.cpu();
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  for (const message of messages) {
    if (realtime) {
      const wait = start + message.timestamp - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await publisher.stream.send(message);
  }
  await Promise.race([reader, sleep(30_000)]);
  const seconds = (performance.now() - start) / 1000;
  const clients = cpuMs(process.cpuUsage(clientBefore));
  const serverMs = cpuMs(await server.cpu()) - cpuMs(serverBefore);
  await closeAll([publisher.session, player.session]);
  const mb = received / 1e6;
  return {
    kind,
    complete: received >= totalBytes,
    mb,
    seconds,
    mbPerSecond: mb / seconds,
    serverMs,
    serverMsPerMb: serverMs / mb,
    clientMsPerMb: clients / mb,
    totalMsPerMb: (serverMs + clients) / mb,
  };
}

async function main() {
  const only = list(argument('only', 'realtime,throughput'));
  const rounds = Number(argument('rounds', 2));
  const seconds = Number(argument('seconds', 20));
  const megabytes = Number(argument('megabytes', 200));
  const load = () => loadavg().map((value) => value.toFixed(2)).join(', ');
  const range = (values, digits) => (values.length < 2 ? '' : ` (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`);
  const cell = (runs, key, digits = 2) => `${median(runs.map((run) => run[key])).toFixed(digits)}${range(runs.map((run) => run[key]), digits)}`;
  const ratioCell = (runs, base, key) => {
    if (!base || runs === base) return '1';
    const ratios = runs.map((run, index) => run[key] / base[index][key]);
    return `**${median(ratios).toFixed(2)}×**${range(ratios, 2)}`;
  };
  const table = (runsByKind) => {
    console.log('| transport | delivered MB | MB/s | server CPU ms | server CPU ms per MB | server CPU / RTMP | clients CPU ms per MB | total CPU ms per MB | total CPU / RTMP |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [kind, runs] of Object.entries(runsByKind)) {
      const incomplete = runs.filter((run) => !run.complete).length;
      console.log(
        `| ${kind}${incomplete ? ` (${incomplete} incomplete)` : ''} | ${cell(runs, 'mb', 1)} | ${cell(runs, 'mbPerSecond', 1)} | ${cell(runs, 'serverMs', 0)} | ${cell(runs, 'serverMsPerMb')} | ${ratioCell(runs, runsByKind.rtmp, 'serverMsPerMb')} | ${cell(runs, 'clientMsPerMb')} | ${cell(runs, 'totalMsPerMb')} | ${ratioCell(runs, runsByKind.rtmp, 'totalMsPerMb')} |`,
      );
    }
  };

  console.log(`- node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}/${process.arch}`);
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  })();
  console.log(`- commit ${commit}; load average (1, 5, 15 min) at the start: ${load()}`);
  console.log(`- rounds: ${rounds}, transports alternating within each round; cells are medians over rounds, min–max in brackets; ratios are medians of per-round ratios`);
  const server = await startServer();

  if (only.includes('realtime')) {
    const messages = makeStream(seconds);
    const bytes = messages.reduce((sum, message) => sum + message.payload.length, 0);
    const runs = Object.fromEntries(list(argument('realtime-transports', 'rtmp,rtmpe')).map((kind) => [kind, []]));
    for (const kind of Object.keys(runs)) await run(kind, server.ports, server, makeStream(2), true, `warm-${kind}`);
    for (let round = 0; round < rounds; round++) {
      for (const kind of Object.keys(runs)) runs[kind].push(await run(kind, server.ports, server, messages, true, `realtime-${kind}-${round}`));
    }
    console.log(
      `\n### One ${((bytes * 8) / 1e6 / seconds).toFixed(2)} Mbit/s stream in real time: ${seconds} s, ${messages.length} messages (30 fps video, 43/s audio), ${(bytes / 1e6).toFixed(1)} MB; load at the end ${load()}\n`,
    );
    table(runs);
  }

  if (only.includes('throughput')) {
    const size = 64 * 1024;
    const block = Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), POOL.subarray(0, size - 5)]);
    const messagesOf = (mb) => Array.from({ length: Math.ceil((mb * 1e6) / size) }, (_, index) => ({ type: 9, timestamp: index * 33, payload: block }));
    const messages = messagesOf(megabytes);
    const runs = Object.fromEntries(list(argument('throughput-transports', 'rtmp,rtmpe,rtmpt,rtmpte')).map((kind) => [kind, []]));
    for (const kind of Object.keys(runs)) await run(kind, server.ports, server, messagesOf(20), false, `warm-${kind}`);
    for (let round = 0; round < rounds; round++) {
      for (const kind of Object.keys(runs)) runs[kind].push(await run(kind, server.ports, server, messages, false, `throughput-${kind}-${round}`));
    }
    console.log(`\n### As fast as flow control allows: ${megabytes} MB of 64 KiB video messages; load at the end ${load()}\n`);
    table(runs);
  }

  await server.stop();
  console.log(`\n- load average at the end: ${load()}`);
  process.exit(0);
}

if (argument('role', 'main') === 'server') await runServer();
else await main();
