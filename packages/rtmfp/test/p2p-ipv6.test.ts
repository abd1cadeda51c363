import { describe, expect, it } from 'vitest';
import { connectToPeer, publishToPeers, rtmfp, rtmfpListenerInfo, rtmfpSessionInfo } from '../src/index.js';
import { until, videoFrame } from './helpers/p2p.js';

describe('RTMFP peer to peer over IPv6', () => {
  it('introduces two clients on ::1; the Redirect carries IPv6 addresses and the peers play directly', async () => {
    const listener = await rtmfp().listen({ host: '::1', port: 0 });
    void (async () => {
      for await (const incoming of listener) await incoming.accept();
    })();
    const url = `rtmfp://[::1]:${listener.address.port}/app`;
    const alice = await rtmfp().connect(url);
    const bob = await rtmfp().connect(url);
    try {
      const bobId = rtmfpSessionInfo(bob)!.nearPeerId;
      await until(() => rtmfpListenerInfo(listener)!.peers().length === 2, 5000, 'registrations');
      const camera = publishToPeers(bob, 'camera');
      const peer = await connectToPeer(alice, bobId, { timeoutMs: 5000 });
      expect(rtmfpSessionInfo(peer)!.remote.host).toBe('::1');
      const stream = await peer.createStream();
      await stream.play('camera');
      await until(() => camera.subscribers.length === 1);
      const reading = (async () => {
        for await (const message of stream) if (message.type === 9) return message.payload.readUInt32BE(5);
        return -1;
      })();
      await camera.send(videoFrame(42));
      expect(await reading).toBe(42);
    } finally {
      await alice.close();
      await bob.close();
      await listener.close();
    }
  });
});
