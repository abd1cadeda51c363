import { randomBytes } from 'node:crypto';
import type { Session } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DH_GROUP_2,
  MAX_CANDIDATES,
  MAX_REDIRECTS,
  RtmfpEndpoint,
  acceptPeers,
  connectToPeer,
  createIdentity,
  decodeCertificate,
  encodeChunk,
  flashClientIdentity,
  generateDhKeyPair,
  openProgress,
  peerEpd,
  rtmfp,
  rtmfpListenerInfo,
  rtmfpSessionInfo,
  secureRandom,
  type EndpointSession,
  type RtmfpIdentity,
} from '../src/index.js';
import { p2pWorld, sleep, until, type P2pWorld } from './helpers/p2p.js';
import { rawPeer, type RawPeer } from './helpers/raw-udp.js';

const cleanup: (() => Promise<unknown>)[] = [];
let world: P2pWorld | undefined;
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close().catch(() => {});
  await world?.close();
  world = undefined;
});

const idOf = (session: Session) => rtmfpSessionInfo(session)!.nearPeerId;

async function raw(host?: string, onChunk?: Parameters<typeof rawPeer>[1]): Promise<RawPeer> {
  const peer = await rawPeer(host, onChunk);
  cleanup.push(() => peer.close());
  return peer;
}

function rendezvousOf(p2p: P2pWorld) {
  return rtmfpListenerInfo(p2p.listener)!.rendezvous!;
}

describe('RTMFP peer to peer: unknown, departed and unwilling peers', () => {
  it('an unknown peer id: the server answers nothing, connectToPeer rejects with "unknown-peer" after its timeout', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const started = Date.now();
    const error = await connectToPeer(alice, randomBytes(32).toString('hex'), { timeoutMs: 1500 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RtmfpPeerError', problem: 'unknown-peer' });
    expect((error as Error).message).toMatch(/introduced no peer/);
    expect((error as Error & { cause: Error }).cause.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(rendezvousOf(world).droppedUnknown).toBeGreaterThanOrEqual(1);
    expect(rendezvousOf(world).introductions).toBe(0);
  });

  it('a departed peer is forgotten with its session: nothing about it is revealed afterwards', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client();
    const bobId = idOf(bob);
    acceptPeers(bob);
    expect(rtmfpListenerInfo(world.listener)!.peers().map((peer) => peer.peerId)).toContain(bobId);
    await bob.close();
    await until(() => !rtmfpListenerInfo(world!.listener)!.peers().some((peer) => peer.peerId === bobId), 10_000, 'bob to be forgotten');
    expect(rendezvousOf(world).peers).toBe(1);
    const error = await connectToPeer(alice, bobId, { timeoutMs: 1500 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RtmfpPeerError', problem: 'unknown-peer', peerId: bobId });
    expect(rendezvousOf(world).introductions).toBe(0);
  });

  it('a peer that accepts no peers: introduced, but connectToPeer rejects with "unreachable"', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client(); // neither acceptPeers nor publishToPeers: FIHellos are dropped
    const error = await connectToPeer(alice, idOf(bob), { timeoutMs: 1500 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RtmfpPeerError', problem: 'unreachable' });
    expect((error as Error).message).toMatch(/was introduced but did not answer/);
    expect(rendezvousOf(world).introductions).toBeGreaterThanOrEqual(1);
  });

  it('bad peer ids and the wrong kind of session are refused at once', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    await expect(connectToPeer(alice, 'not-an-id')).rejects.toMatchObject({ problem: 'peer-id' });
    await expect(connectToPeer(alice, 'ab'.repeat(31))).rejects.toMatchObject({ problem: 'peer-id' });
    await expect(connectToPeer(alice, idOf(alice))).rejects.toMatchObject({ problem: 'peer-id', message: /our own/ });
    await expect(connectToPeer(world.serverSessions[0]!, 'ab'.repeat(32))).rejects.toMatchObject({ problem: 'not-rtmfp' });
    expect(() => acceptPeers(world!.serverSessions[0]!)).toThrow(/RTMFP client session/);
  });
});

describe('RTMFP peer to peer: forged peer ids', () => {
  it('addresses a client reports that cannot be encoded are left out; introductions to it still work', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const bob = await world.client({ sendPeerInfo: false }, { register: false });
    acceptPeers(bob);
    await bob.notify('setPeerInfo', ['999.1.2.3:1935', '1.2.3.4:0', '[fe80::1%eth0]:1935', 'nonsense', `127.0.0.1:${rtmfpSessionInfo(world.serverSessions[1]!)!.remote.port}`]);
    await until(() => rtmfpListenerInfo(world!.listener)!.peers().some((peer) => peer.peerId === idOf(bob)), 5000, 'bob registered');
    const registered = rtmfpListenerInfo(world.listener)!.peers().find((peer) => peer.peerId === idOf(bob))!;
    expect(registered.reported.map((address) => `${address.host}:${address.port}`)).toEqual([`127.0.0.1:${registered.observed.port}`]);
    const peer = await connectToPeer(alice, idOf(bob));
    expect(rtmfpSessionInfo(peer)!.farPeerId).toBe(idOf(bob));
  });

  it('an endpoint answering for a peer id with another certificate is dropped: no session with it, "unreachable"', async () => {
    world = await p2pWorld();
    const alice = await world.client();
    const impostorIdentity = flashClientIdentity();
    let iikeyings = 0;
    const impostor = await raw('127.0.0.1', (chunk, from, self) => {
      if (chunk.kind === 'iikeying') iikeyings++;
      if (chunk.kind === 'ihello') self.send({ kind: 'rhello', tagEcho: chunk.tag, cookie: randomBytes(64), certificate: impostorIdentity.certificate }, from);
    });
    // Bob reports the impostor's address as one of his: the Redirect names it.
    const bob = await world.client({ sendPeerInfo: false }, { register: false });
    await bob.notify('setPeerInfo', [`127.0.0.1:${impostor.port}`]);
    await until(() => rtmfpListenerInfo(world!.listener)!.peers().some((peer) => peer.peerId === idOf(bob)), 5000, 'bob registered');
    const error = await connectToPeer(alice, idOf(bob), { timeoutMs: 2000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RtmfpPeerError', problem: 'unreachable' });
    expect((error as Error).message).toMatch(/answer\(s\) from endpoints that are not this peer were dropped/);
    expect(impostor.received.some(({ chunk }) => chunk.kind === 'ihello')).toBe(true);
    expect(iikeyings).toBe(0);
  });

  it('a client presenting another peer\'s certificate cannot key its session, so it cannot take over that peer id', async () => {
    world = await p2pWorld();
    const bobIdentity = flashClientIdentity();
    const bob = await world.client({ endpoint: { clientIdentity: bobIdentity } });
    acceptPeers(bob);
    // Bob's certificate (it is public: it goes out in every handshake) with a key pair of our own.
    const forged: RtmfpIdentity = {
      certificate: bobIdentity.certificate,
      decoded: decodeCertificate(bobIdentity.certificate),
      groups: [2],
      staticKeys: new Map([[2, generateDhKeyPair(DH_GROUP_2, secureRandom)]]),
    };
    const impostorError = await rtmfp({ endpoint: { clientIdentity: forged } })
      .connect(world.url, { timeouts: { connect: 1500 } })
      .catch((caught: unknown) => caught);
    expect(impostorError).toMatchObject({ name: 'TimeoutError', timeout: 'connect' });
    expect(rtmfpListenerInfo(world.listener)!.counters.droppedUndecryptable).toBeGreaterThan(0);
    // The id still leads to bob, at bob's address.
    const registered = rtmfpListenerInfo(world.listener)!.peers().filter((peer) => peer.peerId === idOf(bob));
    expect(registered).toHaveLength(1);
    expect(registered[0]!.observed.port).toBe(rtmfpSessionInfo(world.serverSessions[0]!)!.remote.port);
    const alice = await world.client();
    const peer = await connectToPeer(alice, idOf(bob));
    expect(rtmfpSessionInfo(peer)!.farPeerId).toBe(idOf(bob));
    expect(rtmfpSessionInfo(peer)!.remote.port).toBe(registered[0]!.observed.port);
  });

  it('a certificate without a static key proves no peer id: the server does not register it and peers refuse its sessions', async () => {
    world = await p2pWorld();
    const bob = await world.client();
    const asked: string[] = [];
    acceptPeers(bob, { accept: (peer) => (asked.push(peer.peerId), true) });
    const ephemeral = createIdentity({ keys: 'ephemeral', groups: [2] });
    const mallory = await world.client({ endpoint: { clientIdentity: ephemeral } }, { register: false });
    await until(() => rendezvousOf(world!).refusedUnbound === 1, 5000, 'the setPeerInfo to be refused');
    expect(rtmfpListenerInfo(world.listener)!.peers().map((peer) => peer.peerId)).not.toContain(idOf(mallory));
    const error = await connectToPeer(mallory, idOf(bob), { timeoutMs: 3000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RtmfpPeerError' });
    expect(['closed', 'unreachable']).toContain((error as { problem: string }).problem);
    expect(asked).toEqual([]);
    // And nobody can be introduced to mallory's id.
    const alice = await world.client();
    await expect(connectToPeer(alice, idOf(mallory), { timeoutMs: 1000 })).rejects.toMatchObject({ problem: 'unknown-peer' });
  });
});

describe('RTMFP peer to peer: floods and strangers', () => {
  it('an IHello from an address that holds no session with the server is dropped: strangers learn no address', async () => {
    world = await p2pWorld();
    const bob = await world.client();
    const stranger = await raw();
    for (let i = 0; i < 5; i++) stranger.send({ kind: 'ihello', epd: peerEpd(Buffer.from(idOf(bob), 'hex')), tag: randomBytes(16) }, { host: '127.0.0.1', port: world.listener.address.port });
    await until(() => rendezvousOf(world!).droppedNotAllowed === 5, 5000, 'the hellos to be dropped');
    await sleep(100);
    expect(stranger.datagrams).toBe(0);
  });

  it('a redirect flood from one source is cut at its rate; the target gets a bounded number of FIHellos', async () => {
    world = await p2pWorld({ rendezvous: { clientsOnly: false, redirectRate: { perSecond: 2, burst: 5 } }, endpoint: { handshakeRate: { perSecond: 1000, burst: 1000 } } });
    const bob = await world.client();
    const flooder = await raw();
    const started = Date.now();
    for (let i = 0; i < 60; i++) flooder.send({ kind: 'ihello', epd: peerEpd(Buffer.from(idOf(bob), 'hex')), tag: randomBytes(16) }, { host: '127.0.0.1', port: world.listener.address.port });
    await until(() => rendezvousOf(world!).introductions + rendezvousOf(world!).droppedRateLimited >= 55, 5000, 'the flood to be read');
    await sleep(100);
    const allowed = 5 + Math.ceil(((Date.now() - started) / 1000) * 2);
    const redirects = flooder.received.filter(({ chunk }) => chunk.kind === 'redirect');
    expect(redirects.length).toBeLessThanOrEqual(allowed);
    expect(redirects.length).toBe(rendezvousOf(world).introductions);
    expect(rendezvousOf(world).droppedRateLimited).toBeGreaterThanOrEqual(60 - allowed - 5);
    // Each Redirect names bob (the flooder asked for him by id), observed address first.
    const first = redirects[0]!.chunk;
    expect(first.kind === 'redirect' && first.addresses[0]).toMatchObject({ origin: 'observed', port: rtmfpSessionInfo(world.serverSessions[0]!)!.remote.port });
    expect(rendezvousOf(world).forwardedHellos).toBe(rendezvousOf(world).introductions);
  });

  it('a client takes at most MAX_REDIRECTS redirects, only from addresses it asked, and sends IHellos to at most MAX_CANDIDATES addresses', async () => {
    const sink = await raw('0.0.0.0');
    const other = await raw();
    const server = await raw('127.0.0.1', (chunk, from, self) => {
      if (chunk.kind !== 'ihello') return;
      for (let i = 0; i < 40; i++) {
        const addresses = Array.from({ length: 4 }, (_, j) => ({ host: `127.0.${1 + ((i * 4 + j) >> 8)}.${1 + ((i * 4 + j) & 0xff)}`, port: sink.port }));
        self.send({ kind: 'redirect', tagEcho: chunk.tag, addresses }, from);
        other.send({ kind: 'redirect', tagEcho: chunk.tag, addresses: [{ host: '127.0.0.1', port: other.port }] }, from); // not asked: dropped
      }
    });
    const client = await RtmfpEndpoint.bind('127.0.0.1', 0);
    cleanup.push(() => client.close());
    const progress = openProgress();
    const error = await client
      .open({ epd: peerEpd(randomBytes(32)), addresses: [{ host: '127.0.0.1', port: server.port }], timeoutMs: 2500, progress })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
    expect(progress.redirects).toBe(MAX_REDIRECTS);
    expect(progress.droppedRedirects).toBeGreaterThanOrEqual(40);
    expect(progress.introduced.length).toBe(MAX_CANDIDATES - 1);
    expect(sink.received.length).toBeGreaterThan(0);
    expect(other.received.filter(({ chunk }) => chunk.kind === 'ihello')).toHaveLength(0);
    const ihellosToSink = sink.received.filter(({ chunk }) => chunk.kind === 'ihello').length;
    // The first wave: one IHello per new candidate; then retransmissions to all (at 1 s, 2.5 s).
    expect(ihellosToSink).toBeLessThanOrEqual((MAX_CANDIDATES - 1) * 3);
  });

  it('an FIHello arrives only through a session we trust as an introducer; otherwise it is dropped, no RHello sprayed', async () => {
    const bobIdentity = flashClientIdentity();
    const bob = await RtmfpEndpoint.bind('127.0.0.1', 0, { clientIdentity: bobIdentity });
    cleanup.push(() => bob.close());
    const bobSessions: EndpointSession[] = [];
    bob.accept({ identity: bob.identity, onSession: (session) => bobSessions.push(session) });
    const alice = await RtmfpEndpoint.bind('127.0.0.1', 0);
    cleanup.push(() => alice.close());
    const session = await alice.open({ epd: peerEpd(bobIdentity.decoded.fingerprint), addresses: [{ host: '127.0.0.1', port: bob.address.port }], timeoutMs: 5000 });
    await until(() => bobSessions.length === 1);
    const victim = await raw();
    const forward = () => {
      session.sendChunks([encodeChunk({ kind: 'fihello', epd: peerEpd(bobIdentity.decoded.fingerprint), replyAddress: { host: '127.0.0.1', port: victim.port }, tag: randomBytes(16) })]);
    };
    const dropped = bob.counters.droppedHandshake;
    forward();
    await until(() => bob.counters.droppedHandshake === dropped + 1, 5000, 'the FIHello to be dropped');
    await sleep(100);
    expect(victim.datagrams).toBe(0);
    bob.trustIntroducer(bobSessions[0]!);
    forward();
    await until(() => victim.received.some(({ chunk }) => chunk.kind === 'rhello'), 5000, 'an RHello to the reply address');
  });
});
