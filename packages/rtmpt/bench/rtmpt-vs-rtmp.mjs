#!/usr/bin/env node
// RTMPT against RTMP, in the same run, through a relay server in a child process, on loopback:
//   1. publish-to-play latency of small timestamped messages (~30 a second);
//   2. throughput of one stream pushed as fast as flow control allows (64 KiB video messages);
//   3. how many tunnelled players one ~2 Mbit/s 30 fps stream keeps at real time.
// Usage (after `pnpm turbo run build`):
//   node packages/rtmpt/bench/rtmpt-vs-rtmp.mjs [--only latency,throughput,fanout] [--rounds 2]
//     [--latency-messages 200] [--rate 30] [--megabytes 100] [--fanout 25,50,100,200,300,400]
//     [--fanout-transports rtmpt,rtmpt-hold100,rtmp] [--fanout-seconds 10] [--idle-hold-ms 20]
//     [--latency-transports rtmp,rtmpt,rtmpt-hold0,rtmpt-hold100] [--throughput-transports rtmp,rtmpt]
// Not run by the tests. Prints Markdown tables. Everything stops by itself.
//
// The server is NOT @rtmpkit/server: it is a relay of ~40 lines (below, `runServer`) over the
// plain transports, so that what is measured is the transport, not the media server's GOP cache,
// stats and HTTP routes. RTMP: `rtmp().listen()`. RTMPT: `createRtmptHandler()` mounted on a
// plain `node:http` server (keep-alive 30 s), which is what `rtmpt().listen()` does and what the
// server's `http()` plugin mounts on its port, minus the other routes. The relay writes each
// message once per player with `send(message, { shared })` (chunk-encoded once, as the media
// server does). For the fan-out test it drops a message for a player whose previous send still
// waits for `drain` (a slow player loses frames instead of queueing); for latency and throughput
// (stream names starting `bp-`) it waits for the player instead, so flow control reaches back to
// the publisher.
//
// The server runs in a child process (its CPU is its own `process.cpuUsage()`); publishers and
// players run in this process, so send and receive times come from the same clock.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { rtmp } from '../../rtmp/dist/index.js';
import { createRtmptHandler, DEFAULT_TUNNEL_CLIENT_LIMITS, DEFAULT_TUNNEL_SERVER_LIMITS, rtmpt } from '../dist/index.js';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const list = (value) => String(value).split(',').filter(Boolean);
const ROLE = argument('role', 'main');
const IDLE_HOLD_MS = Number(argument('idle-hold-ms', DEFAULT_TUNNEL_SERVER_LIMITS.idleHoldMs));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const cpuMs = (usage) => (usage.user + usage.system) / 1000;

// ---- the relay server (child process) ---------------------------------------------------------

async function runServer() {
  const streams = new Map();
  const stats = { requests: { rtmpt: 0, 'rtmpt-hold0': 0, 'rtmpt-hold100': 0 }, dropped: 0, forwarded: 0 };
  const streamOf = (name) => {
    let entry = streams.get(name);
    if (!entry) streams.set(name, (entry = { players: new Set() }));
    return entry;
  };
  const relay = async (stream, name) => {
    const { players } = streamOf(name);
    const backpressure = name.startsWith('bp-');
    for await (const message of stream) {
      const shared = new Map();
      for (const player of players) {
        if (backpressure) {
          await player.stream.send(message, { shared }).catch(() => players.delete(player));
        } else if (player.blocked) {
          stats.dropped++;
        } else {
          player.blocked = true;
          player.stream.send(message, { shared }).then(
            () => (player.blocked = false),
            () => players.delete(player),
          );
        }
        stats.forwarded++;
      }
    }
  };
  const serve = (incoming) =>
    incoming.accept().then(
      (session) =>
        session.onStreamRequest({
          play({ stream, name }) {
            const player = { stream, blocked: false };
            streamOf(name).players.add(player);
            void stream.closed.then(() => streamOf(name).players.delete(player));
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

  const rtmpListener = await rtmp().listen({ host: '127.0.0.1', port: 0 });
  void accept(rtmpListener);
  const ports = { rtmp: rtmpListener.address.port };
  const tunnels = [];
  for (const [name, idleHoldMs] of [
    ['rtmpt', IDLE_HOLD_MS],
    ['rtmpt-hold0', 0],
    ['rtmpt-hold100', 100],
  ]) {
    const handler = createRtmptHandler({ tunnel: { idleHoldMs } });
    const http = createHttpServer();
    http.keepAliveTimeout = 30_000;
    http.on('request', (request, response) => {
      stats.requests[name]++;
      if (!handler.handleRequest(request, response)) response.writeHead(404).end();
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    ports[name] = http.address().port;
    tunnels.push({ handler, http });
    void accept(handler);
  }

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const exit = () => {
    rtmpListener.close().catch(() => {});
    for (const { handler, http } of tunnels) {
      handler.close().catch(() => {});
      http.closeAllConnections();
      http.close();
    }
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('disconnect', exit);
  process.on('message', (request) => {
    if (request.cmd === 'exit') return exit();
    if (request.cmd === 'reset') loopDelay.reset();
    process.send({
      id: request.id,
      cpu: process.cpuUsage(),
      requests: { ...stats.requests },
      dropped: stats.dropped,
      forwarded: stats.forwarded,
      loopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - 1),
      rssMb: process.memoryUsage().rss / 1e6,
    });
  });
  process.send({ ready: true, ports });
}

/** Starts the relay in a child process; resolves with its ports and a way to ask it for figures. */
async function startServer() {
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'server', '--idle-hold-ms', String(IDLE_HOLD_MS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const ask = (cmd = 'figures') =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ cmd, id });
    });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.send({ cmd: 'exit' });
      setTimeout(() => child.kill(), 3000).unref();
    });
  return { ports, ask, stop };
}

// ---- clients (this process) -------------------------------------------------------------------

const TRANSPORTS = {
  rtmp: { transport: rtmp(), url: (ports) => `rtmp://127.0.0.1:${ports.rtmp}/live` },
  rtmpt: { transport: rtmpt(), url: (ports) => `rtmpt://127.0.0.1:${ports.rtmpt}/live` },
  'rtmpt-hold0': { transport: rtmpt(), url: (ports) => `rtmpt://127.0.0.1:${ports['rtmpt-hold0']}/live` },
  'rtmpt-hold100': { transport: rtmpt(), url: (ports) => `rtmpt://127.0.0.1:${ports['rtmpt-hold100']}/live` },
};

async function openPlayer(kind, ports, name) {
  const session = await TRANSPORTS[kind].transport.connect(TRANSPORTS[kind].url(ports));
  const stream = await session.createStream();
  await stream.play(name);
  return { session, stream };
}

async function openPublisher(kind, ports, name) {
  const session = await TRANSPORTS[kind].transport.connect(TRANSPORTS[kind].url(ports));
  const stream = await session.createStream();
  await stream.publish(name);
  return { session, stream };
}

const closeAll = (sessions, ms = 5000) => Promise.race([Promise.allSettled(sessions.map((session) => session.close())), sleep(ms)]);

/** A video message body: FLV video tag header (AVC NALU), then the frame number, then filler. */
function frame(seq, length, key, pool) {
  const payload = Buffer.allocUnsafe(Math.max(9, length));
  payload[0] = key ? 0x17 : 0x27;
  payload[1] = 1;
  payload[2] = payload[3] = payload[4] = 0;
  payload.writeUInt32BE(seq, 5);
  pool.copy(payload, 9, (seq * 7919) % (pool.length - payload.length), (seq * 7919) % (pool.length - payload.length) + payload.length - 9);
  return payload;
}
const POOL = randomBytes(1 << 20);

/** 1. Latency: `count` small messages at `rate` a second, after 20 unmeasured ones. */
async function latency(kind, ports, server, count, rate, round) {
  const warmup = 20;
  const total = warmup + count;
  const name = `bp-latency-${kind}-${round}`;
  const player = await openPlayer(kind, ports, name);
  const publisher = await openPublisher(kind, ports, name);
  const sentAt = new Float64Array(total);
  const delays = [];
  const reader = (async () => {
    let seen = 0;
    for await (const message of player.stream) {
      if (message.type !== 9) continue;
      const seq = message.payload.readUInt32BE(5);
      if (seq >= warmup) delays.push(performance.now() - sentAt[seq]);
      if (++seen === total || seq === total - 1) break;
    }
  })();
  const before = await server.ask();
  const start = performance.now();
  for (let seq = 0; seq < total; seq++) {
    const wait = start + (seq * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const payload = frame(seq, 64, seq % 30 === 0, POOL);
    sentAt[seq] = performance.now();
    await publisher.stream.send({ type: 9, timestamp: Math.round((seq * 1000) / rate), payload });
  }
  await Promise.race([reader, sleep(5000)]);
  const seconds = (performance.now() - start) / 1000;
  const after = await server.ask();
  await closeAll([publisher.session, player.session]);
  return {
    kind,
    received: delays.length,
    count,
    median: median(delays),
    p95: quantile(delays, 0.95),
    max: Math.max(...delays),
    requestsPerSecond: kind === 'rtmp' ? 0 : (after.requests[kind] - before.requests[kind]) / seconds,
  };
}

/** 2. Throughput: `megabytes` of 64 KiB video messages, as fast as `send()` lets them go. */
async function throughput(kind, ports, server, megabytes, round) {
  const size = 64 * 1024;
  const messages = Math.ceil((megabytes * 1e6) / size);
  const totalBytes = messages * size;
  const name = `bp-throughput-${kind}-${round}`;
  const player = await openPlayer(kind, ports, name);
  const publisher = await openPublisher(kind, ports, name);
  const block = frame(0, size, false, POOL);
  const reader = (async () => {
    let bytes = 0;
    for await (const message of player.stream) {
      if (message.type !== 9) continue;
      bytes += message.payload.length;
      if (bytes >= totalBytes) break;
    }
  })();
  const before = await server.ask();
  const clientCpu = process.cpuUsage();
  const start = performance.now();
  for (let seq = 0; seq < messages; seq++) {
    await publisher.stream.send({ type: 9, timestamp: seq * 33, payload: block });
  }
  await reader;
  const seconds = (performance.now() - start) / 1000;
  const clients = cpuMs(process.cpuUsage(clientCpu));
  const after = await server.ask();
  await closeAll([publisher.session, player.session]);
  const mb = totalBytes / 1e6;
  const serverMs = cpuMs(after.cpu) - cpuMs(before.cpu);
  return {
    kind,
    mb,
    seconds,
    mbPerSecond: mb / seconds,
    serverMsPerMb: serverMs / mb,
    clientMsPerMb: clients / mb,
    totalMsPerMb: (serverMs + clients) / mb,
    requestsPerSecond: kind === 'rtmp' ? 0 : (after.requests[kind] - before.requests[kind]) / seconds,
  };
}

/**
 * 3. Fan-out: `players` players of one 2 Mbit/s 30 fps video stream (a keyframe of 8 deltas every
 * 2 s), published over RTMP. Warm-up 3 s, then a `seconds` window; a player is at real time if it
 * got at least 95% of the window's frames and 95% of them within 500 ms of their sending.
 */
async function fanout(kind, players, seconds) {
  const server = await startServer();
  const fps = 30;
  const delta = Math.round((2_000_000 / 8) * 2 / (59 + 8));
  const warmupFrames = 3 * fps;
  const windowFrames = seconds * fps;
  const total = warmupFrames + windowFrames + fps;
  const sentAt = new Float64Array(total);
  const viewers = [];
  let failedToConnect = 0;
  const connectStart = performance.now();
  for (let index = 0; index < players; index += 25) {
    const batch = Array.from({ length: Math.min(25, players - index) }, () =>
      openPlayer(kind, server.ports, 'fan').then(
        (player) => viewers.push({ ...player, got: 0, delays: [], failed: false }),
        () => failedToConnect++,
      ),
    );
    await Promise.all(batch);
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const readers = viewers.map(async (viewer) => {
    try {
      for await (const message of viewer.stream) {
        if (message.type !== 9) continue;
        const seq = message.payload.readUInt32BE(5);
        if (seq >= warmupFrames && seq < warmupFrames + windowFrames) {
          viewer.got++;
          viewer.delays.push(performance.now() - sentAt[seq]);
        }
        if (seq === total - 1) break;
      }
    } catch {
      viewer.failed = true;
    }
  });
  const publisher = await openPublisher('rtmp', server.ports, 'fan');
  await sleep(500);
  let beginPromise;
  let endPromise;
  let clientCpu;
  const clientLoop = monitorEventLoopDelay({ resolution: 1 });
  clientLoop.enable();
  const start = performance.now();
  for (let seq = 0; seq < total; seq++) {
    const wait = start + (seq * 1000) / fps - performance.now();
    if (wait > 0) await sleep(wait);
    if (seq === warmupFrames) {
      void server.ask('reset');
      beginPromise = server.ask();
      clientCpu = process.cpuUsage();
      clientLoop.reset();
    }
    if (seq === warmupFrames + windowFrames) {
      endPromise = server.ask();
      clientCpu = process.cpuUsage(clientCpu);
      clientLoop.disable();
    }
    const key = seq % 60 === 0;
    sentAt[seq] = performance.now();
    publisher.stream.send({ type: 9, timestamp: Math.round((seq * 1000) / fps), payload: frame(seq, key ? delta * 8 : delta, key, POOL) }).catch(() => {});
  }
  await Promise.race([Promise.all(readers), sleep(3000)]);
  const [begin, end] = await Promise.all([beginPromise, endPromise]);
  const windowSeconds = seconds;
  const atRealTime = viewers.filter((viewer) => !viewer.failed && viewer.got >= 0.95 * windowFrames && quantile(viewer.delays, 0.95) <= 500).length;
  const allDelays = viewers.flatMap((viewer) => viewer.delays);
  await closeAll([publisher.session, ...viewers.map((viewer) => viewer.session)]);
  await server.stop();
  return {
    kind,
    players,
    connected: viewers.length,
    failedToConnect,
    connectSeconds,
    atRealTime,
    share: atRealTime / players,
    medianDelay: median(viewers.map((viewer) => median(viewer.delays)).filter((value) => !Number.isNaN(value))),
    p95Delay: quantile(allDelays, 0.95),
    serverCpu: (cpuMs(end.cpu) - cpuMs(begin.cpu)) / 10 / windowSeconds,
    clientCpu: cpuMs(clientCpu) / 10 / windowSeconds,
    loopDelayP99Ms: end.loopDelayP99Ms,
    clientLoopDelayP99Ms: Math.max(0, clientLoop.percentile(99) / 1e6 - 1),
    requestsPerSecond: kind === 'rtmp' ? 0 : (end.requests[kind] - begin.requests[kind]) / windowSeconds,
    dropped: end.dropped - begin.dropped,
    serverRssMb: end.rssMb,
  };
}

// ---- main ------------------------------------------------------------------------------------

async function main() {
  const only = list(argument('only', 'latency,throughput,fanout'));
  const rounds = Number(argument('rounds', 2));
  const latencyMessages = Number(argument('latency-messages', 200));
  const rate = Number(argument('rate', 30));
  const megabytes = Number(argument('megabytes', 100));
  const fanoutSteps = list(argument('fanout', '25,50,100,200,300,400')).map(Number);
  const fanoutTransports = list(argument('fanout-transports', 'rtmpt,rtmpt-hold100,rtmp'));
  const fanoutSeconds = Number(argument('fanout-seconds', 10));
  const load = () => loadavg().map((value) => value.toFixed(2)).join(', ');
  const range = (values, digits = 1) =>
    values.length < 2 ? '' : ` (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
  const cell = (runs, key, digits = 1) => {
    const values = runs.map((run) => run[key]);
    return `${median(values).toFixed(digits)}${range(values, digits)}`;
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
  console.log(
    `- RTMPT polling: client pollUnitMs ${DEFAULT_TUNNEL_CLIENT_LIMITS.pollUnitMs}, minPollMs ${DEFAULT_TUNNEL_CLIENT_LIMITS.minPollMs}, maxPollMs ${DEFAULT_TUNNEL_CLIENT_LIMITS.maxPollMs} (defaults); server idleHoldMs ${IDLE_HOLD_MS}, polling bytes 1, 3, 5, 9, 17, 33 (defaults); "rtmpt-hold0" is the same with idleHoldMs 0 (Red5's behaviour), "rtmpt-hold100" with idleHoldMs 100`,
  );
  console.log(`- rounds: ${rounds}; cells are the median over rounds, with the min–max in brackets`);

  if (only.includes('latency') || only.includes('throughput')) {
    const server = await startServer();
    if (only.includes('latency')) {
      const runs = Object.fromEntries(list(argument('latency-transports', 'rtmp,rtmpt,rtmpt-hold0,rtmpt-hold100')).map((kind) => [kind, []]));
      for (let round = 0; round < rounds; round++) {
        for (const kind of Object.keys(runs)) runs[kind].push(await latency(kind, server.ports, server, latencyMessages, rate, round));
      }
      console.log(`\n### Publish-to-play latency: ${latencyMessages} messages of 64 B at ${rate}/s (after 20 unmeasured), publisher and player on the same transport\n`);
      console.log('| transport | received | median ms | p95 ms | max ms | HTTP requests/s at the server |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const [kind, kindRuns] of Object.entries(runs)) {
        console.log(
          `| ${kind} | ${kindRuns.map((run) => `${run.received}/${run.count}`).join(', ')} | ${cell(kindRuns, 'median', 2)} | ${cell(kindRuns, 'p95', 2)} | ${cell(kindRuns, 'max', 1)} | ${kind === 'rtmp' ? '–' : cell(kindRuns, 'requestsPerSecond', 0)} |`,
        );
      }
    }
    if (only.includes('throughput')) {
      const runs = Object.fromEntries(list(argument('throughput-transports', 'rtmp,rtmpt')).map((kind) => [kind, []]));
      for (const kind of Object.keys(runs)) await throughput(kind, server.ports, server, 20, 'warm');
      for (let round = 0; round < rounds; round++) {
        for (const kind of Object.keys(runs)) runs[kind].push(await throughput(kind, server.ports, server, megabytes, round));
      }
      console.log(`\n### Throughput of one stream: ${megabytes} MB of 64 KiB video messages, publisher → relay → player, same transport both ways\n`);
      console.log('| transport | MB/s | server CPU ms per MB | clients CPU ms per MB | total CPU ms per MB | HTTP requests/s |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const [kind, kindRuns] of Object.entries(runs)) {
        console.log(
          `| ${kind} | ${cell(kindRuns, 'mbPerSecond', 0)} | ${cell(kindRuns, 'serverMsPerMb', 2)} | ${cell(kindRuns, 'clientMsPerMb', 2)} | ${cell(kindRuns, 'totalMsPerMb', 2)} | ${kind === 'rtmp' ? '–' : cell(kindRuns, 'requestsPerSecond', 0)} |`,
        );
      }
      const ratio = (key) => median(runs.rtmpt.map((run) => run[key])) / median(runs.rtmp.map((run) => run[key]));
      if (runs.rtmp && runs.rtmpt) console.log(`\nRTMPT / RTMP: ${ratio('mbPerSecond').toFixed(2)}× the rate, ${ratio('serverMsPerMb').toFixed(2)}× the server CPU per MB, ${ratio('totalMsPerMb').toFixed(2)}× the total CPU per MB`);
    }
    await server.stop();
  }

  if (only.includes('fanout')) {
    console.log(`\n### Fan-out: one 2 Mbit/s 30 fps stream published over RTMP, N players; ${fanoutSeconds} s window after 3 s warm-up; a fresh server per row\n`);
    console.log('| players over | N | connected | at real time | median delay ms | p95 delay ms | server CPU % of a core | clients CPU % of a core | event-loop lag p99 ms, server / clients | HTTP requests/s | relay drops | load at start |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const kind of fanoutTransports) {
      for (const players of fanoutSteps) {
        const loadAtStart = load();
        const result = await fanout(kind, players, fanoutSeconds);
        console.log(
          `| ${kind} | ${players} | ${result.connected} | ${result.atRealTime} (${(result.share * 100).toFixed(0)}%) | ${result.medianDelay.toFixed(1)} | ${result.p95Delay.toFixed(1)} | ${result.serverCpu.toFixed(0)} | ${result.clientCpu.toFixed(0)} | ${result.loopDelayP99Ms.toFixed(0)} / ${result.clientLoopDelayP99Ms.toFixed(0)} | ${kind === 'rtmp' ? '–' : result.requestsPerSecond.toFixed(0)} | ${result.dropped} | ${loadAtStart} |`,
        );
        if (result.share < 0.9) break;
      }
    }
  }
  console.log(`\n- load average at the end: ${load()}`);
  process.exit(0);
}

if (ROLE === 'server') await runServer();
else await main();
