#!/usr/bin/env node
// A small recording TCP proxy: it listens on a loopback port, forwards every accepted connection to
// a target, and writes the bytes of each direction to its own file, untouched.
//
//   node tools/capture/record-proxy.mjs --listen 19350 --target 127.0.0.1:19351 --out /tmp/cap/publish \
//        [--max-bytes 65536] [--connections 1]
//
// For connection number N (1, 2, …) it writes `<out>-N.c2s.bin` (client → server) and
// `<out>-N.s2c.bin` (server → client). With --max-bytes it stops *recording* a direction after that
// many bytes (the bytes still flow, so the session goes on normally). With --connections K it stops
// listening after K connections and exits once they have all closed. It prints one line per event on
// stderr and stops cleanly on SIGINT/SIGTERM. Plain Node (>= 20), no dependencies.

import { createServer, connect } from 'node:net';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    target: { type: 'string' },
    out: { type: 'string' },
    'max-bytes': { type: 'string' },
    connections: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (opts.help || !opts.listen || !opts.target || !opts.out) {
  process.stderr.write(
    'usage: record-proxy.mjs --listen PORT [--host 127.0.0.1] --target HOST:PORT --out PATH_PREFIX ' +
      '[--max-bytes N] [--connections K]\n',
  );
  process.exit(opts.help ? 0 : 2);
}

const listenPort = Number(opts.listen);
const targetSep = opts.target.lastIndexOf(':');
const targetHost = opts.target.slice(0, targetSep);
const targetPort = Number(opts.target.slice(targetSep + 1));
const maxBytes = opts['max-bytes'] === undefined ? Infinity : Number(opts['max-bytes']);
const maxConnections = opts.connections === undefined ? Infinity : Number(opts.connections);
for (const [name, n] of [['--listen', listenPort], ['--target port', targetPort]]) {
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`bad ${name}: ${n}`);
}
if (!(maxBytes > 0)) throw new Error(`bad --max-bytes: ${opts['max-bytes']}`);
mkdirSync(dirname(opts.out), { recursive: true });

const log = (line) => process.stderr.write(`[record-proxy] ${line}\n`);

/** Writes at most `limit` bytes of what passes through to `path`. */
class Recorder {
  constructor(path, limit) {
    this.path = path;
    this.limit = limit;
    this.seen = 0;
    this.kept = 0;
    this.file = createWriteStream(path);
  }
  take(chunk) {
    this.seen += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.kept += part.length;
    this.file.write(part);
  }
  close() {
    return new Promise((resolve) => this.file.end(resolve));
  }
}

let accepted = 0;
let open = 0;
let stopping = false;
const sockets = new Set();

const server = createServer({ allowHalfOpen: true }, (client) => {
  const n = ++accepted;
  open++;
  if (accepted >= maxConnections) server.close();
  const c2s = new Recorder(`${opts.out}-${n}.c2s.bin`, maxBytes);
  const s2c = new Recorder(`${opts.out}-${n}.s2c.bin`, maxBytes);
  const upstream = connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
  sockets.add(client).add(upstream);
  log(`#${n} accepted from ${client.remoteAddress}:${client.remotePort}`);

  client.on('data', (chunk) => {
    c2s.take(chunk);
    if (!upstream.write(chunk)) client.pause();
  });
  upstream.on('drain', () => client.resume());
  upstream.on('data', (chunk) => {
    s2c.take(chunk);
    if (!client.write(chunk)) upstream.pause();
  });
  client.on('drain', () => upstream.resume());

  // Half-closes pass through; either side failing ends both.
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('error', (err) => { log(`#${n} client: ${err.message}`); upstream.destroy(); });
  upstream.on('error', (err) => { log(`#${n} upstream: ${err.message}`); client.destroy(); });

  let closed = 0;
  const onClose = async () => {
    if (++closed < 2) return;
    await Promise.all([c2s.close(), s2c.close()]);
    log(`#${n} closed: c2s ${c2s.seen} bytes (kept ${c2s.kept}), s2c ${s2c.seen} bytes (kept ${s2c.kept})`);
    sockets.delete(client);
    sockets.delete(upstream);
    if (--open === 0 && (stopping || accepted >= maxConnections)) process.exit(0);
  };
  client.on('close', onClose);
  upstream.on('close', onClose);
});

server.on('error', (err) => { log(`listen: ${err.message}`); process.exit(1); });
server.listen(listenPort, opts.host, () => log(`listening on ${opts.host}:${listenPort} -> ${targetHost}:${targetPort}`));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    stopping = true;
    server.close();
    if (open === 0) process.exit(0);
    for (const socket of sockets) socket.destroy(); // the close handlers flush the files, then exit
  });
}
