#!/usr/bin/env node
// A two-party video chat over RTMFP peer to peer. A server only introduces the two clients:
// each publishes a synthetic camera "to peers" and plays the other's straight from it.
//
//   pnpm turbo run build --filter @rtmpkit/rtmfp...
//   node packages/rtmfp/examples/video-chat.mjs [megabytes each way, default 1]
//
// It stops by itself and prints, as its last line, a JSON summary: what each side received and
// how many bytes the server's UDP socket saw (introductions only: no media goes through it).
import { acceptPeers, connectToPeer, publishToPeers, rtmfp, rtmfpListenerInfo, rtmfpSessionInfo } from '@rtmpkit/rtmfp';

const megabytes = Number(process.argv[2] ?? 1);
const bytesEachWay = Math.round(megabytes * 1024 * 1024);
const FRAME = 8 * 1024;
const stopAt = setTimeout(() => {
  console.error('video-chat: gave up after 60 s');
  process.exit(2);
}, 60_000);

// ---- the server: accepts clients of the app "chat", keeps a directory of who is who ----------
const server = await rtmfp().listen({ host: '127.0.0.1', port: 0 });
const directory = new Map(); // name -> peer id
void (async () => {
  for await (const incoming of server) {
    if (incoming.connectInfo.app !== 'chat') {
      await incoming.reject('no such app');
      continue;
    }
    const session = await incoming.accept();
    const peerId = rtmfpSessionInfo(session).farPeerId; // the client's peer id, from its certificate
    session.handle('join', ([name]) => void directory.set(String(name), peerId));
    session.handle('lookup', ([name]) => directory.get(String(name)) ?? null);
    void session.closed.then(() => {
      for (const [name, id] of directory) if (id === peerId) directory.delete(name);
    });
  }
})();
const url = `rtmfp://127.0.0.1:${server.address.port}/chat`;

/** A synthetic H.264 camera: a sequence header, then key and inter frames with a counter. */
function frame(index) {
  const payload = Buffer.alloc(FRAME, index & 0xff);
  payload[0] = index % 30 === 0 ? 0x17 : 0x27; // key / inter frame, AVC
  payload[1] = 0x01; // NALU
  payload.writeUInt32BE(index, 5);
  return { type: 9, timestamp: index * 33, payload };
}
const sequenceHeader = { type: 9, timestamp: 0, payload: Buffer.from([0x17, 0x00, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 0]) };

async function participant(name, other) {
  const session = await rtmfp().connect(url);
  await session.notify('join', [name]);
  // Accept peers; a real app would check the peer id against whom it called.
  acceptPeers(session, { accept: (peer) => peer.connectInfo.app === 'p2p' });
  let subscribed;
  const subscriber = new Promise((resolve) => (subscribed = resolve));
  const camera = publishToPeers(session, 'camera', {
    onPeerConnect(peer) {
      console.log(`${name}: peer ${peer.peerId.slice(0, 12)}… plays my camera from ${peer.remote.address}:${peer.remote.port}`);
      subscribed();
      return true;
    },
  });
  await camera.sendMetadata({ width: 640, height: 360, framerate: 30, videocodecid: 7 });
  await camera.send(sequenceHeader);

  // Find the other side through the server, then connect to it directly.
  let otherId = null;
  for (let tries = 0; !otherId && tries < 200; tries++) {
    otherId = (await session.call('lookup', [other])).args[0];
    if (!otherId) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!otherId) throw new Error(`${name}: ${other} never joined`);
  const started = performance.now();
  const peer = await connectToPeer(session, otherId);
  const stream = await peer.createStream();
  await stream.play('camera');

  let received = 0;
  let frames = 0;
  let firstFrameMs;
  let inOrder = true;
  const watching = (async () => {
    for await (const message of stream) {
      if (message.type !== 9 || message.payload[1] !== 0x01) continue;
      firstFrameMs ??= performance.now() - started;
      if (message.payload.readUInt32BE(5) !== frames + 1) inOrder = false;
      frames++;
      received += message.payload.length;
      if (received >= bytesEachWay) break;
    }
  })();
  await subscriber; // the other side plays my camera: send it
  for (let index = 1; index * FRAME <= bytesEachWay + FRAME; index++) await camera.send(frame(index));
  await watching;
  return { name, session, peer, camera, received, frames, inOrder, firstFrameMs };
}

const [alice, bob] = await Promise.all([participant('alice', 'bob'), participant('bob', 'alice')]);
const counters = { ...rtmfpListenerInfo(server).counters };
const rendezvous = { ...rtmfpListenerInfo(server).rendezvous };
for (const side of [alice, bob]) {
  console.log(`${side.name}: received ${side.frames} frames, ${side.received} bytes, first frame ${side.firstFrameMs.toFixed(1)} ms after connectToPeer`);
}
console.log(`server: ${counters.bytesReceived + counters.bytesSent} bytes in ${counters.datagramsReceived + counters.datagramsSent} datagrams, ${rendezvous.introductions} introductions`);

for (const side of [alice, bob]) {
  await side.camera.close();
  await side.peer.close();
}
await Promise.all([alice.session.close(), bob.session.close()]);
await server.close();
clearTimeout(stopAt);
console.log(JSON.stringify({
  bytesEachWay,
  sides: [alice, bob].map((side) => ({ name: side.name, received: side.received, frames: side.frames, inOrder: side.inOrder, firstFrameMs: side.firstFrameMs })),
  server: { bytesReceived: counters.bytesReceived, bytesSent: counters.bytesSent, introductions: rendezvous.introductions },
}));
