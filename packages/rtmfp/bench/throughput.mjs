#!/usr/bin/env node
// Throughput of one RTMFP stream on loopback, with and without loss: a client publishes video
// messages as fast as its session takes them; a server in a child process counts what it
// delivers. For the lossy run a UDP relay in the server's process drops datagrams both ways
// (seeded). CPU is both processes' user + system time. Figures, not a test: they vary with the
// machine. The same stream over RTMP on TCP (@rtmpkit/rtmp, built beside this package) runs
// first, for CPU per delivered Mbit relative to RTMP in the same run.
//
//   pnpm build && node packages/rtmfp/bench/throughput.mjs [seconds] [messageBytes]
import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { rtmp } from '../../rtmp/dist/index.js';
import { rtmfp, rtmfpSessionInfo } from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 5);
const messageBytes = Number(process.argv[3] ?? 16 * 1024);

/** A UDP relay dropping `loss` of the datagrams each way (seeded, so runs decide the same way). */
async function relay(target, loss, seed = 1) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const front = createSocket('udp4');
  await new Promise((resolve) => front.bind(0, '127.0.0.1', resolve));
  const upstream = new Map();
  front.on('message', (bytes, client) => {
    const key = `${client.address}:${client.port}`;
    let socket = upstream.get(key);
    if (!socket) {
      socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1');
      socket.on('message', (reply) => {
        if (random() >= loss) front.send(reply, client.port, client.address);
      });
      upstream.set(key, socket);
    }
    if (random() >= loss) socket.send(bytes, target.port, '127.0.0.1');
  });
  return front.address().port;
}

/** The child: a server that counts delivered media, behind a relay when asked. */
async function serve(kind, loss) {
  const listener = await (kind === 'rtmp' ? rtmp() : rtmfp()).listen({ host: '127.0.0.1', port: 0 });
  let delivered = 0;
  void (async () => {
    for await (const incoming of listener) {
      const session = await incoming.accept();
      session.onStreamRequest({
        publish({ stream }) {
          void (async () => {
            for await (const message of stream) delivered += message.payload.length;
          })().catch(() => {});
        },
      });
    }
  })();
  const port = loss > 0 ? await relay(listener.address, loss) : listener.address.port;
  process.on('message', (request) => {
    if (request === 'count') process.send({ delivered, cpu: process.cpuUsage() });
    if (request === 'exit') void listener.close().then(() => process.exit(0));
  });
  process.send({ port });
}

function ask(child, request) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(request);
  });
}

async function run(kind, loss) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind, String(loss)]);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const client = await (kind === 'rtmp' ? rtmp() : rtmfp()).connect(`${kind}://127.0.0.1:${port}/bench`);
  const stream = await client.createStream();
  await stream.publish('load');
  const payload = Buffer.alloc(messageBytes, 0x5a);
  const before = await ask(child, 'count');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let timestamp = 0;
  while (performance.now() - started < seconds * 1000) {
    await stream.send({ type: 9, timestamp: (timestamp += 33), payload });
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const after = await ask(child, 'count');
  const childCpu = after.cpu.user + after.cpu.system - (before.cpu.user + before.cpu.system);
  const mbit = ((after.delivered - before.delivered) * 8) / 1e6;
  const totalCpuMs = (cpu.user + cpu.system + childCpu) / 1000;
  const stats = kind === 'rtmfp' ? rtmfpSessionInfo(client).stats : undefined;
  await client.close().catch(() => {});
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('exit');
  await exited;
  return {
    transport: kind === 'rtmp' ? 'RTMP (TCP)' : 'RTMFP (UDP)',
    loss: `${(loss * 100).toFixed(0)}%`,
    'Mbit/s delivered': +(mbit / elapsed).toFixed(1),
    'CPU ms per Mbit (both)': +(totalCpuMs / mbit).toFixed(2),
    'client CPU %': Math.round(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100),
    'server CPU %': Math.round((childCpu / 1000 / (elapsed * 1000)) * 100),
    retransmissions: stats?.retransmissions ?? '-',
    'loss events': stats?.lossEvents ?? '-',
    timeouts: stats?.timeouts ?? '-',
    'srtt ms': stats?.srtt === undefined ? '-' : +stats.srtt.toFixed(1),
    'cwnd KiB': stats ? Math.round(stats.cwnd / 1024) : '-',
  };
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], Number(process.argv[4]));
} else {
  const results = [];
  results.push(await run('rtmp', 0));
  for (const loss of [0, 0.05]) results.push(await run('rtmfp', loss));
  const perMbit = (row) => row['CPU ms per Mbit (both)'];
  for (const row of results) row['CPU per Mbit vs RTMP'] = +(perMbit(row) / perMbit(results[0])).toFixed(2);
  console.log(`one stream, ${messageBytes}-byte video messages, ${seconds} s each, node ${process.version}, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.table(results);
  process.exit(0);
}
