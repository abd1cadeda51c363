import { StreamRejectedError, type Session } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PEER_URL,
  acceptPeers,
  connectToPeer,
  peerSessions,
  publishToPeers,
  rtmfpListenerInfo,
  rtmfpSessionInfo,
  type PeerSubscriber,
} from '../src/index.js';
import { p2pWorld, sleep, until, videoFrame, type P2pWorld } from './helpers/p2p.js';

let world: P2pWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const idOf = (session: Session) => rtmfpSessionInfo(session)!.nearPeerId;

/** Reads video from `stream` until `count` messages came; resolves with their indexes. */
async function readVideo(stream: AsyncIterable<{ type: number; payload: Buffer }>, count: number): Promise<number[]> {
  const indexes: number[] = [];
  for await (const message of stream) {
    if (message.type !== 9 || message.payload[1] !== 0x01) continue;
    indexes.push(message.payload.readUInt32BE(5));
    if (indexes.length === count) break;
  }
  return indexes;
}

describe('RTMFP peer to peer: connectToPeer and streams published to peers', () => {
  it('opens a session straight to the peer by its id; the publisher hears onPeerConnect with the subscriber\'s id; media arrives in order', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client();
    const connected: PeerSubscriber[] = [];
    const left: PeerSubscriber[] = [];
    const camera = publishToPeers(bob, 'camera', { onPeerConnect: (peer) => (connected.push(peer), true), onPeerDisconnect: (peer) => left.push(peer) });

    const peer = await connectToPeer(alice, idOf(bob));
    expect(peer.role).toBe('client');
    expect(peer.scheme).toBe('rtmfp');
    expect(peer.connectInfo.tcUrl).toBe('rtmfp://peer:1935/p2p'); // PEER_URL with its port
    expect(peer.connectInfo.app).toBe('p2p');
    expect(PEER_URL).toBe('rtmfp://peer/p2p');
    const info = rtmfpSessionInfo(peer)!;
    expect(info.farPeerId).toBe(idOf(bob));
    expect(info.nearPeerId).toBe(idOf(alice));
    // The path is direct: alice's peer session talks to bob's socket, not the server's.
    expect(info.remote.port).not.toBe(world.listener.address.port);
    expect(info.remote.port).toBe(rtmfpSessionInfo(world.serverSessions[1]!)!.remote.port);

    const stream = await peer.createStream();
    await stream.play('camera');
    await until(() => camera.subscribers.length === 1, 5000, 'subscriber');
    expect(connected.map((subscriber) => subscriber.peerId)).toEqual([idOf(alice)]);
    const reading = readVideo(stream, 50);
    for (let index = 0; index < 50; index++) await camera.send(videoFrame(index));
    expect(await reading).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(peerSessions(alice)).toEqual([peer]);
    expect(peerSessions(bob)).toHaveLength(1);

    await stream.close();
    await until(() => left.length === 1, 5000, 'onPeerDisconnect');
    expect(left[0]!.peerId).toBe(idOf(alice));
    await peer.close();
    await until(() => peerSessions(bob).length === 0, 5000, 'bob to see the peer session end');
  });

  it('the accept hook sees the peer id and may refuse: connectToPeer rejects with problem "refused"', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const carol = await world.client();
    const bob = await world.client();
    const asked: string[] = [];
    acceptPeers(bob, { accept: (peer) => (asked.push(peer.peerId), peer.peerId === idOf(carol)) });

    const refused = await connectToPeer(alice, idOf(bob)).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'RtmfpPeerError', code: 'ERR_RTMFP_PEER', problem: 'refused', peerId: idOf(bob) });
    const accepted = await connectToPeer(carol, idOf(bob));
    expect(rtmfpSessionInfo(accepted)!.farPeerId).toBe(idOf(bob));
    expect(asked).toEqual([idOf(alice), idOf(carol)]);
  });

  it('onPeerConnect may refuse one subscriber (NetStream.Play.Failed) and take another', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const carol = await world.client();
    const bob = await world.client();
    publishToPeers(bob, 'camera', { onPeerConnect: async (peer) => peer.peerId === idOf(carol) });
    const fromAlice = await (await connectToPeer(alice, idOf(bob))).createStream();
    const error = await fromAlice.play('camera').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamRejectedError);
    expect((error as StreamRejectedError).statusCode).toBe('NetStream.Play.Failed');
    const fromCarol = await (await connectToPeer(carol, idOf(bob))).createStream();
    await fromCarol.play('camera');
    const missing = await fromCarol.session.createStream();
    await expect(missing.play('nothing-here')).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
  });

  it('a late subscriber gets the metadata and the sequence header first', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client();
    const camera = publishToPeers(bob, 'camera');
    await camera.sendMetadata({ width: 320, height: 240 });
    await camera.send({ type: 9, timestamp: 0, payload: Buffer.from([0x17, 0x00, 0, 0, 0, 1, 0x64]) });
    for (let index = 0; index < 5; index++) await camera.send(videoFrame(index)); // nobody plays yet: gone
    const stream = await (await connectToPeer(alice, idOf(bob))).createStream();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const message of stream) {
        if (message.type === 18) seen.push(message.payload.includes('onMetaData') ? 'metadata' : 'data');
        if (message.type === 9) seen.push(message.payload[1] === 0 ? 'header' : `frame ${message.payload.readUInt32BE(5)}`);
        if (seen.includes('frame 7')) break;
      }
    })();
    await stream.play('camera');
    await until(() => camera.subscribers.length === 1);
    await camera.send(videoFrame(7));
    await reading;
    expect(seen.filter((kind) => kind !== 'data')).toEqual(['metadata', 'header', 'frame 7']);
  });

  it('a peer session is an ordinary Session: calls both ways through onSession and handle()', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client();
    acceptPeers(bob, {
      onSession(session, peer) {
        session.handle('whoAmI', () => peer.peerId);
      },
    });
    const peer = await connectToPeer(alice, idOf(bob));
    const answer = await peer.call('whoAmI');
    expect(answer.args).toEqual([idOf(alice)]);
  });

  it('media bypasses the server: 1 MB each way between two peers, the server socket sees a few kB of signalling', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client();
    const cameras = [publishToPeers(alice, 'camera'), publishToPeers(bob, 'camera')];
    const counters = rtmfpListenerInfo(world.listener)!.counters;
    const before = counters.bytesReceived + counters.bytesSent;
    const [aliceToBob, bobToAlice] = await Promise.all([connectToPeer(alice, idOf(bob)), connectToPeer(bob, idOf(alice))]);
    const streams = await Promise.all([aliceToBob.createStream(), bobToAlice.createStream()]);
    await Promise.all(streams.map((stream) => stream.play('camera')));
    await until(() => cameras.every((camera) => camera.subscribers.length === 1));
    const frames = 128; // 128 × 8 KiB = 1 MiB
    const reading = streams.map((stream) => readVideo(stream, frames));
    await Promise.all(cameras.map(async (camera) => {
      for (let index = 0; index < frames; index++) await camera.send(videoFrame(index, 8192));
    }));
    for (const indexes of await Promise.all(reading)) expect(indexes).toHaveLength(frames);
    const peerBytes = [aliceToBob, bobToAlice].map((session) => session.bytesIn);
    for (const bytes of peerBytes) expect(bytes).toBeGreaterThan(1024 * 1024);
    const serverBytes = counters.bytesReceived + counters.bytesSent - before;
    expect(serverBytes).toBeLessThan(16 * 1024);
    expect(rtmfpListenerInfo(world.listener)!.rendezvous!.introductions).toBeGreaterThanOrEqual(2);
    // The media server's own sessions carried no media either.
    for (const session of world.serverSessions) expect(session.bytesIn).toBeLessThan(4096);
  });

  it('closing the connection to the server closes its peer sessions', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client();
    acceptPeers(bob);
    const peer = await connectToPeer(alice, idOf(bob));
    await alice.close();
    await peer.closed;
    expect(peer.state).toBe('closed');
    await until(() => peerSessions(bob).length === 0, 10_000, 'bob to hear the peer leave');
    await sleep(10);
  });
});
