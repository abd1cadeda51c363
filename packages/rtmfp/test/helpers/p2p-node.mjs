#!/usr/bin/env node
// One process of the peer-to-peer tests across network namespaces (run with `ip netns exec`).
// Prints JSON lines on stdout ({ event, ... }) and always stops by itself.
//
//   p2p-node.mjs server <host> <port>
//     A rendezvous server with a directory (join / lookup by name). Prints "listening", and its
//     counters ("stats") when it gets SIGTERM.
//   p2p-node.mjs peer <url> <name> <other> <bytes>
//     Joins, publishes "camera" to peers, finds <other> through the server, connects to it
//     directly, plays its camera until <bytes> of video came, sends <bytes> of its own to
//     whoever plays it, prints "done" and leaves.
import { acceptPeers, connectToPeer, publishToPeers, rtmfp, rtmfpListenerInfo, rtmfpSessionInfo } from '@rtmpkit/rtmfp';

const [role, ...args] = process.argv.slice(2);
const print = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
for (const kind of ['uncaughtException', 'unhandledRejection']) {
  process.on(kind, (error) => {
    print('error', { message: `${kind}: ${String(error?.stack ?? error)}` });
    process.exit(3);
  });
}
const lifetime = setTimeout(() => {
  print('error', { message: `${role} gave up after 90 s` });
  process.exit(2);
}, 90_000);

async function server(host, port) {
  const listener = await rtmfp().listen({ host, port: Number(port) });
  const directory = new Map();
  const finished = new Set();
  process.on('SIGTERM', () => {
    const info = rtmfpListenerInfo(listener);
    print('stats', { counters: info.counters, rendezvous: info.rendezvous, peers: info.peers() });
    process.exit(0);
  });
  print('listening', { port: listener.address.port });
  for await (const incoming of listener) {
    const session = await incoming.accept();
    const peerId = rtmfpSessionInfo(session).farPeerId;
    session.handle('join', ([name]) => void directory.set(String(name), peerId));
    session.handle('lookup', ([name]) => directory.get(String(name)) ?? null);
    session.handle('finished', ([name]) => void finished.add(String(name)));
    session.handle('isFinished', ([name]) => finished.has(String(name)));
  }
}

function frame(index) {
  const payload = Buffer.alloc(8192, index & 0xff);
  payload[0] = 0x27;
  payload[1] = 0x01;
  payload.writeUInt32BE(index, 5);
  return { type: 9, timestamp: index * 33, payload };
}

async function peer(url, name, other, bytesText) {
  const bytes = Number(bytesText);
  const session = await rtmfp().connect(url, { timeouts: { handshake: 20_000 } });
  const me = rtmfpSessionInfo(session).nearPeerId;
  await session.notify('join', [name]);
  acceptPeers(session);
  let subscribed;
  const subscriber = new Promise((resolve) => (subscribed = resolve));
  const camera = publishToPeers(session, 'camera', {
    onPeerConnect(peer) {
      print('subscriber', { peerId: peer.peerId, remote: peer.remote });
      subscribed();
      return true;
    },
  });
  let otherId = null;
  for (let tries = 0; !otherId && tries < 400; tries++) {
    otherId = (await session.call('lookup', [other])).args[0];
    if (!otherId) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!otherId) throw new Error(`${other} never joined`);
  const started = performance.now();
  const link = await connectToPeer(session, otherId, { timeoutMs: 20_000 });
  const stream = await link.createStream();
  await stream.play('camera');
  let received = 0;
  let frames = 0;
  let firstFrameMs;
  const watching = (async () => {
    for await (const message of stream) {
      if (message.type !== 9) continue;
      firstFrameMs ??= performance.now() - started;
      frames++;
      received += message.payload.length;
      if (received >= bytes) break;
    }
  })();
  await subscriber;
  for (let index = 0; index * 8192 < bytes; index++) await camera.send(frame(index));
  await watching;
  print('done', { name, me, other: otherId, received, frames, firstFrameMs, peerRemote: rtmfpSessionInfo(link).remote, bytesIn: link.bytesIn });
  // Leave once the other side has read what we sent too.
  await session.call('finished', [name]);
  for (let tries = 0; tries < 600 && !(await session.call('isFinished', [other])).args[0]; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await camera.close();
  await link.close();
  await session.close();
  clearTimeout(lifetime);
  process.exit(0);
}

try {
  if (role === 'server') await server(...args);
  else if (role === 'peer') await peer(...args);
  else throw new Error(`unknown role ${role}`);
} catch (error) {
  print('error', { message: String(error?.stack ?? error) });
  process.exit(1);
}
