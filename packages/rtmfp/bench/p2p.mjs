#!/usr/bin/env node
// Peer to peer on loopback: a rendezvous server in a child process, pairs of clients in this
// one. For each pair, bob publishes a camera to peers; alice calls connectToPeer(bob) and plays
// it; bob sends 1 MiB of video to her straight away. Prints the time from connectToPeer to
// alice's first video frame (median of the pairs), and what the server spent per pair: UDP
// bytes and CPU, for the whole visit (two connects, setPeerInfo, the introduction, leaving)
// and for the introduction alone. Figures, not a test: they vary with the machine.
//
//   pnpm turbo run build --filter @rtmpkit/rtmfp... && node packages/rtmfp/bench/p2p.mjs [pairs]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectToPeer, publishToPeers, rtmfp, rtmfpListenerInfo, rtmfpSessionInfo } from '../dist/index.js';

const pairs = Number(process.argv[2] ?? 11);
const MEDIA = 1024 * 1024;
const FRAME = 8192;

/** The child: a rendezvous server that answers with its counters and CPU time. */
async function serve() {
  const listener = await rtmfp().listen({ host: '127.0.0.1', port: 0 });
  void (async () => {
    for await (const incoming of listener) await incoming.accept().catch(() => {});
  })();
  process.on('disconnect', () => process.exit(0)); // the parent is gone
  process.on('message', (request) => {
    if (request === 'count') {
      const info = rtmfpListenerInfo(listener);
      process.send({ counters: { ...info.counters }, rendezvous: { ...info.rendezvous }, peers: info.peers().length, cpu: process.cpuUsage() });
    }
    if (request === 'exit') void listener.close().then(() => process.exit(0));
  });
  process.send({ port: listener.address.port });
}

function ask(child, request) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(request);
  });
}

const cpuMs = (sample) => (sample.cpu.user + sample.cpu.system) / 1000;
const bytes = (sample) => sample.counters.bytesReceived + sample.counters.bytesSent;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function pair(child, url) {
  const before = await ask(child, 'count');
  const alice = await rtmfp().connect(url);
  const bob = await rtmfp().connect(url);
  const bobId = rtmfpSessionInfo(bob).nearPeerId;
  let index = 0;
  const camera = publishToPeers(bob, 'camera', {
    onPeerConnect() {
      void (async () => {
        for (; index * FRAME < MEDIA; index++) await camera.send({ type: 9, timestamp: index * 33, payload: Buffer.alloc(FRAME, index) });
      })();
      return true;
    },
  });
  // Both registered (setPeerInfo arrived) before we time the introduction.
  for (let tries = 0; (await ask(child, 'count')).peers < 2 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
  const introducing = await ask(child, 'count');
  const started = performance.now();
  const link = await connectToPeer(alice, bobId);
  const introduced = await ask(child, 'count');
  const stream = await link.createStream();
  let firstFrameMs;
  let received = 0;
  const watching = (async () => {
    for await (const message of stream) {
      if (message.type !== 9) continue;
      firstFrameMs ??= performance.now() - started;
      received += message.payload.length;
      if (received >= MEDIA) break;
    }
  })();
  await stream.play('camera');
  await watching;
  await camera.close();
  await link.close();
  await alice.close();
  await bob.close();
  // The server hears both leave (close request and ack) before we count.
  for (let tries = 0; (await ask(child, 'count')).peers > 0 && tries < 400; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
  const after = await ask(child, 'count');
  return {
    firstFrameMs,
    received,
    visitBytes: bytes(after) - bytes(before),
    visitCpuMs: cpuMs(after) - cpuMs(before),
    introductionBytes: bytes(introduced) - bytes(introducing),
    introductionCpuMs: cpuMs(introduced) - cpuMs(introducing),
  };
}

if (process.argv[2] === '--serve') {
  await serve();
} else {
  const child = fork(fileURLToPath(import.meta.url), ['--serve']);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const url = `rtmfp://127.0.0.1:${port}/bench`;
  await pair(child, url); // warm-up: JIT, first DH keys
  const runs = [];
  for (let i = 0; i < pairs; i++) runs.push(await pair(child, url));
  const total = await ask(child, 'count');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('exit');
  await exited;
  console.log(`${pairs} pairs on loopback (after one warm-up pair), 1 MiB of video each, node ${process.version}`);
  console.table({
    'connectToPeer → first video frame, ms': { median: +median(runs.map((run) => run.firstFrameMs)).toFixed(1), min: +Math.min(...runs.map((run) => run.firstFrameMs)).toFixed(1), max: +Math.max(...runs.map((run) => run.firstFrameMs)).toFixed(1) },
    'server UDP bytes per pair (2 connects + introduction + leaving)': { median: median(runs.map((run) => run.visitBytes)), min: Math.min(...runs.map((run) => run.visitBytes)), max: Math.max(...runs.map((run) => run.visitBytes)) },
    'server CPU ms per pair (same)': { median: +median(runs.map((run) => run.visitCpuMs)).toFixed(2), min: +Math.min(...runs.map((run) => run.visitCpuMs)).toFixed(2), max: +Math.max(...runs.map((run) => run.visitCpuMs)).toFixed(2) },
    'server UDP bytes per introduction': { median: median(runs.map((run) => run.introductionBytes)), min: Math.min(...runs.map((run) => run.introductionBytes)), max: Math.max(...runs.map((run) => run.introductionBytes)) },
    'server CPU ms per introduction': { median: +median(runs.map((run) => run.introductionCpuMs)).toFixed(2), min: +Math.min(...runs.map((run) => run.introductionCpuMs)).toFixed(2), max: +Math.max(...runs.map((run) => run.introductionCpuMs)).toFixed(2) },
    'media between the peers per pair, bytes': { median: median(runs.map((run) => run.received)), min: Math.min(...runs.map((run) => run.received)), max: Math.max(...runs.map((run) => run.received)) },
  });
  console.log(`server in all (${pairs + 1} pairs): ${bytes(total)} UDP bytes, ${(cpuMs(total) / 1000).toFixed(2)} CPU-seconds since it started, ${total.rendezvous.introductions} introductions`);
  process.exit(0);
}
