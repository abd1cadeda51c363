import { setTimeout as sleep } from 'node:timers/promises';
import { RtmpError } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv, type RunningPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeErrorOf, within } from './helpers/deadline.js';
import { errorLines, ffmpegPublishFile } from './helpers/ffmpeg.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';
import { garbage, partialMessage, RawClient } from './helpers/raw-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

describeWithPeers('interop: bad clients next to a good ffmpeg publisher', ['ffmpeg'], () => {
  const IDLE_MS = 500;
  let server: TestServer;
  let file: string;
  const connectionErrors: Array<{ error: unknown; port?: number }> = [];
  const clients: RawClient[] = [];
  const peers: RunningPeer[] = [];

  beforeAll(async () => {
    file = await makeTestFlv({ seconds: 5 });
    server = await startTestServer({
      listen: { timeouts: { idle: IDLE_MS, handshake: 2000, connect: 2000 } },
      onConnectionError: (error, remote) => connectionErrors.push({ error, port: remote.port }),
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await Promise.all(peers.map((peer) => peer.stop()));
    await server?.close();
  });

  async function rawClient(app?: string): Promise<RawClient> {
    const client = await RawClient.open(server.port);
    clients.push(client);
    if (app) await client.connect(app);
    return client;
  }

  it('each bad client ends with a typed error on its own session; the ffmpeg publish completes', async () => {
    const ffmpeg = ffmpegPublishFile(file, server.url('live/good'), { seconds: 3 });
    peers.push(ffmpeg);
    const publisher = await server.waitForSession((record) => record.publishes.some((p) => p.name === 'good'), 5000);
    await sleep(300); // media is flowing

    // 1. Garbage right after a valid handshake, before connect: the session never reaches the
    //    application; the listener reports it.
    const early = await rawClient();
    early.write(garbage(4096, 1));
    await within(early.closed, 3000, 'the server closing the early garbage connection');

    // 2. Garbage after connect was accepted.
    const noisy = await rawClient('bad-garbage');
    const noisySession = (await server.waitForSession((r) => r.session.connectInfo.app === 'bad-garbage')).session;
    noisy.write(garbage(4096, 2));

    // 3. Announces a 10 kB command and sends 300 bytes of it, then goes quiet (idle timeout).
    const staller = await rawClient('bad-stall');
    const stallerSession = (await server.waitForSession((r) => r.session.connectInfo.app === 'bad-stall')).session;
    staller.write(partialMessage(3, 10_000, 20, 300));
    const stallWrittenAt = Date.now();
    const stallerClosedAt = stallerSession.closed.then(() => Date.now());

    // 4. Hangs up in the middle of a chunk (FIN after 50 of the first 128 bytes of a 10 kB message).
    const quitter = await rawClient('bad-cut');
    const quitterSession = (await server.waitForSession((r) => r.session.connectInfo.app === 'bad-cut')).session;
    quitter.write(partialMessage(4, 10_000, 9, 50, 1));
    quitter.end();

    const noisyError = await closeErrorOf(noisySession, 2000);
    expect(RtmpError.isInstance(noisyError), String(noisyError)).toBe(true);
    // This garbage reads as chunk headers on chunk streams never opened.
    expect(noisyError).toMatchObject({ code: 'ERR_RTMP_PROTOCOL', name: 'RtmpProtocolError' });
    await within(noisy.closed, 3000, 'the server closing the garbage connection');

    const quitterError = await closeErrorOf(quitterSession, 2000);
    expect(RtmpError.isInstance(quitterError), String(quitterError)).toBe(true);
    expect(quitterError).toMatchObject({ code: 'ERR_RTMP_SESSION_CLOSED', name: 'SessionClosedError' });
    expect(quitterError!.message, String(quitterError)).toMatch(/middle/);

    const stallerError = await closeErrorOf(stallerSession, 3000);
    expect(RtmpError.isInstance(stallerError), String(stallerError)).toBe(true);
    expect(stallerError).toMatchObject({ code: 'ERR_RTMP_TIMEOUT', name: 'TimeoutError', timeout: 'idle', ms: IDLE_MS });
    const stalledFor = (await stallerClosedAt) - stallWrittenAt;
    expect(stalledFor).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(stalledFor).toBeLessThan(IDLE_MS + 1000);
    await within(staller.closed, 3000, 'the server closing the stalled connection');

    expect(connectionErrors, JSON.stringify(connectionErrors.map((e) => [String(e.error), e.port]))).toHaveLength(1);
    const earlyError = connectionErrors.find((entry) => entry.port === early.localPort)?.error;
    expect(RtmpError.isInstance(earlyError), String(earlyError)).toBe(true);
    // (Seeded garbage, so each run fails the same way: this one reads as a 13 MB message.)
    expect(earlyError).toMatchObject({ code: 'ERR_RTMP_LIMIT', name: 'LimitExceededError', limit: 'maxMessageSize' });
    expect(server.records.map((r) => r.session.remote.port)).not.toContain(early.localPort);

    // Meanwhile the good publisher went on, undisturbed.
    expect(publisher.session.state).toBe('connected');
    const result = await ffmpeg.done;
    expect(result.timedOut).toBe(false);
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    const publish = publisher.publishes[0]!;
    expect(await publish.done).toBeUndefined();
    expect(publish.end?.error).toBeUndefined();
    expect(publish.sessionStateAtEnd).toBe('connected');
    expectH264AacStream(summarize(publish.messages), { width: 320, height: 240, spanMs: [2500, 3500], minKeyframes: 3 });
  });

  it('still serves after all that: a raw client connects and is accepted', async () => {
    const client = await rawClient('after');
    const record = await server.waitForSession((r) => r.session.connectInfo.app === 'after');
    expect(record.session.state).toBe('connected');
    client.end();
    expect(await closeErrorOf(record.session, 2000)).toBeUndefined();
  });
});
