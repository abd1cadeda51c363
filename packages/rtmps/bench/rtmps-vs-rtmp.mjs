#!/usr/bin/env node
// Throughput and CPU of one publish pushed as fast as it goes, our client → our server on
// loopback, over plain RTMP and over RTMPS, in the same process and the same run.
// Usage (after `pnpm exec turbo run build --filter=@rtmpkit/rtmps...`):
//   node bench/rtmps-vs-rtmp.mjs [--seconds 300] [--rounds 5]
// Not run by the tests. CPU is process.cpuUsage() of this process: client and server together.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { rtmp } from '@rtmpkit/rtmp';
import { createDevelopmentCertificate, rtmps } from '../dist/index.js';

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const SECONDS = arg('seconds', 300);
const ROUNDS = arg('rounds', 5);

/**
 * `seconds` of a 2.5 Mbit/s-like H.264 + AAC stream as FLV tag bodies: 25 fps video with a
 * keyframe every 2 s (8× a delta frame), AAC at 128 kbit/s (43 frames a second).
 */
function makeStream(seconds) {
  const videoBytesPerSecond = 2_500_000 / 8;
  const delta = Math.round((videoBytesPerSecond * 2) / (49 + 8)); // per 2 s: 49 delta frames and a keyframe of 8 deltas
  const pool = randomBytes(1 << 20);
  const slice = (length, seed) => {
    const start = (seed * 7919) % (pool.length - length);
    return pool.subarray(start, start + length);
  };
  const messages = [];
  for (let frame = 0; frame < seconds * 25; frame++) {
    const key = frame % 50 === 0;
    const length = key ? delta * 8 : delta;
    const payload = Buffer.concat([Buffer.from([key ? 0x17 : 0x27, 1, 0, 0, 0]), slice(length, frame)]);
    messages.push({ type: 9, timestamp: frame * 40, payload });
  }
  for (let frame = 0; frame < Math.round(seconds * 44_100 / 1024); frame++) {
    messages.push({ type: 8, timestamp: Math.round(frame * 1024 / 44.1), payload: Buffer.concat([Buffer.from([0xaf, 1]), slice(370, frame + 1)]) });
  }
  messages.sort((a, b) => a.timestamp - b.timestamp);
  return messages;
}

async function measure(label, server, client, url, messages) {
  const expectedBytes = messages.reduce((sum, message) => sum + message.payload.length, 0);
  const listener = await server.listen({ host: '127.0.0.1', port: 0 });
  let resolveReceived;
  const received = new Promise((resolve) => (resolveReceived = resolve));
  const sessions = [];
  const loop = (async () => {
    for await (const incoming of listener) {
      const session = await incoming.accept();
      sessions.push(session);
      session.onStreamRequest({
        publish({ stream }) {
          void (async () => {
            let bytes = 0;
            for await (const message of stream) {
              bytes += message.payload.length;
              if (bytes >= expectedBytes) resolveReceived();
            }
          })();
        },
      });
    }
  })();
  const session = await client.connect(url(listener.address.port));
  const stream = await session.createStream();
  await stream.publish('bench');
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const message of messages) await stream.send(message);
  await received;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  await session.close();
  await listener.close();
  await Promise.all(sessions.map((s) => s.close().catch(() => {})));
  await loop;
  const cpuMs = (used.user + used.system) / 1000;
  return {
    label,
    ms,
    mbitPerSecond: (expectedBytes * 8) / 1e6 / (ms / 1000),
    messagesPerSecond: messages.length / (ms / 1000),
    realtimeFactor: (SECONDS * 1000) / ms,
    cpuMs,
    cpuMsPerMediaSecond: cpuMs / SECONDS,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const certificate = await createDevelopmentCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'] });
const messages = makeStream(SECONDS);
const totalBytes = messages.reduce((sum, message) => sum + message.payload.length, 0);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, OpenSSL ${process.versions.openssl}`);
console.log(`${SECONDS} s of media: ${messages.length} messages, ${(totalBytes / 1e6).toFixed(1)} MB (${((totalBytes * 8) / 1e6 / SECONDS).toFixed(2)} Mbit/s), ${ROUNDS} rounds each`);

const variants = {
  rtmp: () => measure('rtmp', rtmp(), rtmp(), (port) => `rtmp://127.0.0.1:${port}/live`, messages),
  rtmps: () =>
    measure('rtmps', rtmps({ certificate: { cert: certificate.cert, key: certificate.key } }), rtmps({ ca: certificate.cert }), (port) => `rtmps://127.0.0.1:${port}/live`, messages),
};
await variants.rtmp(); // warm-up, not counted
await variants.rtmps();
const results = { rtmp: [], rtmps: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(variants)) results[name].push(await variants[name]());
}
console.log('variant  time ms  Mbit/s  msg/s   × real time  CPU ms  CPU ms per media s   (medians)');
for (const [name, runs] of Object.entries(results)) {
  const m = (key) => median(runs.map((run) => run[key]));
  console.log(
    `${name.padEnd(8)} ${m('ms').toFixed(0).padStart(7)}  ${m('mbitPerSecond').toFixed(0).padStart(6)}  ${m('messagesPerSecond').toFixed(0).padStart(6)}  ${m('realtimeFactor').toFixed(0).padStart(11)}  ${m('cpuMs').toFixed(0).padStart(6)}  ${m('cpuMsPerMediaSecond').toFixed(2).padStart(19)}`,
  );
}
const ratio = median(results.rtmps.map((run) => run.cpuMs)) / median(results.rtmp.map((run) => run.cpuMs));
console.log(`RTMPS costs ${ratio.toFixed(2)}× the CPU of RTMP for the same stream`);
