import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { acceptPeers, connectToPeer, publishToPeers, rtmfp, rtmfpSessionInfo } from '../src/index.js';

// The README's peer-to-peer example, with port 0 for the server, the log collected, and the
// reading loop ending after the frame it waits for.

it('the README peer-to-peer example works', async () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  for (const line of [
    'const peer = await connectToPeer(alice, bobId);',
    "acceptPeers(bob, { accept: (peer) => peer.connectInfo.app === 'p2p' });",
    "const camera = publishToPeers(bob, 'camera', {",
    "await camera.send({ type: 9, timestamp: 0, payload: keyframe }); // reaches Alice, not the server",
  ]) expect(readme).toContain(line);

  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const keyframe = Buffer.alloc(20_000, 0x17);
  const listener = await rtmfp().listen({ host: '127.0.0.1', port: 0 });
  void (async () => {
    for await (const incoming of listener) await incoming.accept();
  })();
  const url = `rtmfp://127.0.0.1:${listener.address.port}/chat`;
  const bob = await rtmfp().connect(url);
  acceptPeers(bob, { accept: (peer) => peer.connectInfo.app === 'p2p' });
  const camera = publishToPeers(bob, 'camera', {
    onPeerConnect(peer) {
      console.log(`${peer.peerId} plays my camera`);
      return true;
    },
  });
  const bobId = rtmfpSessionInfo(bob)!.nearPeerId;
  const alice = await rtmfp().connect(url);
  const peer = await connectToPeer(alice, bobId, { timeoutMs: 5000 });
  const stream = await peer.createStream();
  await stream.play('camera');
  await camera.send({ type: 9, timestamp: 0, payload: keyframe });
  for await (const message of stream) {
    console.log(message.type, message.payload.length);
    if (message.type === 9) break;
  }
  expect(log).toHaveBeenCalledWith(`${rtmfpSessionInfo(alice)!.nearPeerId} plays my camera`);
  expect(log).toHaveBeenCalledWith(9, 20_000);
  log.mockRestore();
  await alice.close();
  await bob.close();
  await listener.close();
});
