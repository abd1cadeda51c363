import { relayHandler, startServer, patternBytes, type ComplianceSetup, type RunningServer } from '@rtmpkit/compliance';
import { RtmpError, decodeAmf0Values, type RtmpMessage, type Session } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { rtmfp, rtmfpSessionInfo, type RtmfpTransportOptions } from '../src/index.js';
import { LossyRelay, type RelayBehaviour } from './helpers/lossy-relay.js';

const AUDIO = 8;
const VIDEO = 9;

let server: RunningServer | undefined;
let relay: LossyRelay | undefined;
afterEach(async () => {
  // A clean path for the goodbyes, so that closing does not wait out lost close requests.
  if (relay) relay.behaviour = {};
  relay?.blackout(false);
  await server?.close();
  await relay?.close();
  server = relay = undefined;
});

/** A server on loopback and clients that reach it through the lossy relay. */
async function throughRelay(behaviour: RelayBehaviour, seed: number, options: RtmfpTransportOptions = {}, handler = relayHandler()) {
  const setup: ComplianceSetup = {
    name: 'rtmfp through a lossy relay',
    server: () => rtmfp(options),
    client: () => rtmfp(options),
    listenOptions: { host: '127.0.0.1', port: 0 },
    url: (_listener, app) => `rtmfp://127.0.0.1:${relay!.port}/${app}`,
  };
  relay = undefined;
  const running = await startServer(setup, handler);
  relay = await LossyRelay.start({ host: '127.0.0.1', port: running.listener.address.port }, behaviour, seed);
  return running;
}

/** The name a data message starts with (`onMetaData`, `onCuePoint`, `|RtmpSampleAccess`). */
function dataName(message: RtmpMessage): unknown {
  return message.type === 18 ? decodeAmf0Values(message.payload)[0] : undefined;
}

/** Reads a play stream until the `onCuePoint` that closes the test (a reliable data message after all media). */
async function untilCuePoint(stream: AsyncIterable<RtmpMessage>, timeoutMs: number): Promise<RtmpMessage[]> {
  const seen: RtmpMessage[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const reading = (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) throw new Error(`the stream ended after ${seen.length} messages`);
      if (dataName(next.value) === '|RtmpSampleAccess') continue;
      seen.push(next.value);
      if (dataName(next.value) === 'onCuePoint') return seen;
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no onCuePoint in ${timeoutMs} ms (${seen.length} messages)`)), timeoutMs);
  });
  try {
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function media(count: number): RtmpMessage[] {
  const out: RtmpMessage[] = [];
  for (let i = 0; i < count; i++) {
    const video = patternBytes(300 + ((i * 977) % 6000), i);
    video.writeUInt32BE(i, 0);
    out.push({ type: VIDEO, streamId: 0, timestamp: i * 40, payload: video });
    const audio = patternBytes(120, 10_000 + i);
    audio.writeUInt32BE(i, 0);
    out.push({ type: AUDIO, streamId: 0, timestamp: i * 40 + 20, payload: audio });
  }
  return out;
}

describe('over a lossy path (seeded loss, reordering, duplication, delay)', () => {
  it('connect, calls, publish and play complete; reliable messages arrive once and in order', async () => {
    const forward = relayHandler();
    server = await throughRelay({ loss: 0.05, duplicate: 0.03, delayMs: 2, jitterMs: 12 }, 42, {}, async (incoming) => {
      const session = await forward(incoming);
      session.handle('echo', (args) => args);
      return session;
    });
    const player = await server.connect();
    const playStream = await player.createStream();
    await playStream.play('cam');
    const publisher = await server.connect();
    const publishStream = await publisher.createStream();
    await publishStream.publish('cam');

    const calls = await Promise.all(Array.from({ length: 20 }, (_, i) => publisher.call('echo', [i])));
    expect(calls.map((result) => result.args.at(-1))).toEqual(Array.from({ length: 20 }, (_, i) => i));

    const sent = media(150);
    const received = untilCuePoint(playStream, 60_000);
    await publishStream.sendMetadata({ width: 320 });
    for (const message of sent) await publishStream.send(message);
    await publishStream.sendData('onCuePoint', [{ name: 'end' }]);
    const all = await received;
    const payloads = all.filter((m) => m.type === AUDIO || m.type === VIDEO).map((m) => m.payload.toString('base64'));
    expect(payloads).toEqual(sent.map((m) => m.payload.toString('base64')));
    expect(all.map(dataName).filter((name) => name !== undefined)).toEqual(['onMetaData', 'onCuePoint']);
    expect(all[0]!.type).toBe(18);
    const stats = rtmfpSessionInfo(publisher)!.stats;
    expect(relay!.counts.dropped).toBeGreaterThan(0);
    expect(stats.retransmissions).toBeGreaterThan(0);
    expect(stats.abandonedSent).toBe(0);
  }, 90_000);

  it('with a media deadline, late media is abandoned and counted; commands and data still arrive, in order', async () => {
    server = await throughRelay({ loss: 0.15, delayMs: 5, jitterMs: 30 }, 7, { mediaDeadlineMs: 120 });
    const player = await server.connect();
    const playStream = await player.createStream();
    await playStream.play('live');
    const publisher = await server.connect();
    const publishStream = await publisher.createStream();
    await publishStream.publish('live');

    const sent = media(200);
    const received = untilCuePoint(playStream, 60_000);
    // Paced like live media: a message every 10 ms, so what is abandoned was lost on the way, not stuck in a queue.
    for (const message of sent) {
      publishStream.send(message).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await publishStream.sendData('onCuePoint', [{ name: 'end' }]);
    const seen = await received;

    const mediaSeen = seen.filter((m) => m.type === AUDIO || m.type === VIDEO);
    const key = (m: RtmpMessage) => `${m.type}:${m.payload.readUInt32BE(0)}`;
    const order = sent.map(key);
    const positions = mediaSeen.map((m) => order.indexOf(key(m)));
    // Each message that arrived is one that was sent, intact, once, in the order sent.
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(new Set(positions).size).toBe(positions.length);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const m of mediaSeen) expect(m.payload.equals(sent[order.indexOf(key(m))]!.payload)).toBe(true);
    // What did not arrive was abandoned on the way: by the publisher, or by the server relaying it.
    const missing = sent.length - mediaSeen.length;
    const publisherStats = rtmfpSessionInfo(publisher)!.stats;
    const serverToPlayer = rtmfpSessionInfo(server.sessions[0]!)!.stats;
    const abandoned = publisherStats.abandonedSent + serverToPlayer.abandonedSent;
    expect(abandoned).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThanOrEqual(abandoned);
    // Receivers saw abandoned fragments go by (ABN, or skipped by the forward sequence number).
    const fromPublisher = rtmfpSessionInfo(server.sessions[1]!)!.stats;
    const atPlayer = rtmfpSessionInfo(player)!.stats;
    expect(fromPublisher.abandonedReceived + fromPublisher.skippedFragments + atPlayer.abandonedReceived + atPlayer.skippedFragments).toBeGreaterThan(0);
  }, 90_000);
});

describe('when the path goes dark', () => {
  it('a short blackout is ridden out: the session stays up and calls complete afterwards', async () => {
    server = await throughRelay({}, 3, {}, async (incoming) => {
      const session = await incoming.accept();
      session.handle('add', (args) => (args[0] as number) + (args[1] as number));
      return session;
    });
    const client = await server.connect('live', { timeouts: { idle: 10_000 } });
    relay!.blackout(true);
    const during = client.call('add', [1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    relay!.blackout(false);
    expect((await during).args).toContain(3);
    expect(client.state).toBe('connected');
    expect(rtmfpSessionInfo(client)!.stats.timeouts).toBeGreaterThan(0);
  }, 30_000);

  it('a long blackout ends both sessions with a timeout', async () => {
    server = await throughRelay({}, 4, { endpoint: { session: { keepaliveMs: 200 } } });
    const client = await server.connect('live', { timeouts: { idle: 1500 } });
    const serverSession: Session = await server.session(0);
    relay!.blackout(true);
    const started = Date.now();
    await client.closed;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(client.state).toBe('closed');
    expect(RtmpError.isInstance(client.closeError)).toBe(true);
    expect(String(client.closeError?.message)).toMatch(/idle|nothing|RTMFP peer/);
    // The server's idle limit is its own (default 120 s): it is still waiting, and closes cleanly.
    expect(serverSession.state).toBe('connected');
  }, 30_000);
});
