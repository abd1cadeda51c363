import { connectToPeer, publishToPeers, rtmfp, rtmfpSessionInfo } from '@rtmpkit/rtmfp';
import { describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';
import { until } from './helpers/test-server.js';

// The media server takes rtmfp() as one of its transports; its RTMFP listener is also the
// rendezvous that introduces clients to each other (peer to peer). Media between the peers
// does not go through it.
describe('the media server as an RTMFP rendezvous', () => {
  it('introduces two RTMFP clients; 1 MiB each way goes between them, the server\'s sessions carry signalling only', async () => {
    const server = createServer({ transports: [{ transport: rtmfp(), listen: { host: '127.0.0.1', port: 0 } }], shutdownTimeoutMs: 3000 });
    await server.start();
    const url = `rtmfp://127.0.0.1:${server.addresses[0]!.port}/live`;
    const [alice, bob] = [await rtmfp().connect(url), await rtmfp().connect(url)];
    try {
      const cameras = [publishToPeers(alice, 'camera'), publishToPeers(bob, 'camera')];
      await until(() => server.sessions().length === 2, 'two sessions');
      const id = (session: typeof alice) => rtmfpSessionInfo(session)!.nearPeerId;
      // If a setPeerInfo is still on its way, the IHello retransmitted a second later is introduced.
      const links = await Promise.all([connectToPeer(alice, id(bob), { timeoutMs: 10_000 }), connectToPeer(bob, id(alice), { timeoutMs: 10_000 })]);
      const streams = await Promise.all(links.map((link) => link.createStream()));
      await Promise.all(streams.map((stream) => stream.play('camera')));
      await until(() => cameras.every((camera) => camera.subscribers.length === 1), 'subscribers');
      const reading = streams.map(async (stream) => {
        let bytes = 0;
        for await (const message of stream) {
          if (message.type === 9) bytes += message.payload.length;
          if (bytes >= 1024 * 1024) break;
        }
        return bytes;
      });
      await Promise.all(cameras.map(async (camera) => {
        for (let index = 0; index < 128; index++) await camera.send({ type: 9, timestamp: index * 33, payload: Buffer.alloc(8192, index) });
      }));
      expect(await Promise.all(reading)).toEqual([1024 * 1024, 1024 * 1024]);
      const stats = server.stats();
      expect(stats.counters.bytesIn).toBe(0); // nothing was published to the server
      const serverBytes = stats.sessions.reduce((sum, session) => sum + session.bytesIn + session.bytesOut, 0);
      expect(serverBytes).toBeLessThan(16 * 1024);
      for (const link of links) expect(link.bytesIn).toBeGreaterThan(1024 * 1024);
    } finally {
      await alice.close();
      await bob.close();
      await server.close();
    }
  }, 60_000);
});
