/**
 * What an idle server session keeps, and that what was made lazy or shared for it still works:
 * one keepalive timer for the idle deadline and the pings, the handshake let go once it is over,
 * stream handlers called as methods, shared tuning, chunk streams with low and high ids.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ChunkDecoder, ChunkEncoder } from '../src/chunk/index.js';
import { LimitExceededError, TimeoutError } from '../src/errors/index.js';
import { ServerHandshake } from '../src/handshake/index.js';
import { decodeUserControl, encodeCommand } from '../src/message/index.js';
import type { PublishRequest, StreamRequestHandlers } from '../src/session/index.js';
import { startServerSession } from '../src/session/index.js';
import { resolveTuning } from '../src/session/session-options.js';
import { connectPair, createChannelPair, RawPeer, until } from './helpers/channel-pair.js';

/** An accepted server session and a hand-driven client that answers nothing (not even pings). */
async function acceptedWithSilentClient(options: Parameters<typeof startServerSession>[1]) {
  const [clientChannel, serverChannel] = createChannelPair();
  const incomingPromise = startServerSession(serverChannel, options);
  const peer = new RawPeer(clientChannel, 'client');
  await until(() => peer.handshakeDone);
  peer.send(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] }, { streamId: 0 }));
  const server = await (await incomingPromise).accept();
  return { server, peer };
}

function pingRequests(peer: RawPeer): number[] {
  return peer.received
    .filter((message) => message.type === 4)
    .map((message) => decodeUserControl(message))
    .filter((event) => event.kind === 'PingRequest')
    .map((event) => (event as { timestamp: number }).timestamp);
}

/** A full garbage collection (vitest does not run node with --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('idle sessions: one keepalive timer for the idle deadline and the pings', () => {
  it('pings at the interval while nothing comes back, then closes at the idle deadline', async () => {
    const idle = 200;
    const { server, peer } = await acceptedWithSilentClient({ pingInterval: 25, timeouts: { idle } });
    const lastHeard = Date.now();
    await server.closed;
    const closedAfter = Date.now() - lastHeard;
    expect(server.closeError).toBeInstanceOf(TimeoutError);
    expect((server.closeError as TimeoutError).timeout).toBe('idle');
    expect(closedAfter).toBeGreaterThanOrEqual(idle - 30);
    const pings = pingRequests(peer);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < pings.length; i++) expect(pings[i]!).toBeGreaterThan(pings[i - 1]!);
  });

  it('pings without an idle deadline keep going; an idle deadline without pings still closes', async () => {
    const pinging = await acceptedWithSilentClient({ pingInterval: 15, timeouts: { idle: 0 } });
    await until(() => pingRequests(pinging.peer).length >= 4, 2000, 'four pings');
    expect(pinging.server.state).toBe('connected');
    await pinging.server.close();

    const quiet = await acceptedWithSilentClient({ pingInterval: 0, timeouts: { idle: 60 } });
    await quiet.server.closed;
    expect((quiet.server.closeError as TimeoutError).timeout).toBe('idle');
    expect(pingRequests(quiet.peer)).toEqual([]);
  });

  it('what the client sends moves the idle deadline: a client that answers pings stays connected', async () => {
    const { client, server } = await connectPair({ server: { pingInterval: 20, timeouts: { idle: 80 } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.state).toBe('connected');
    await client.close();
  });
});

describe('idle sessions: what a connected session lets go', () => {
  it('the handshake (with its C1, S1 and S2 buffers) is not kept once the handshake is over', async () => {
    let handshake: WeakRef<ServerHandshake> | undefined;
    const { client, server } = await connectPair({
      server: {
        handshake: () => {
          const driver = new ServerHandshake();
          handshake = new WeakRef(driver);
          return driver;
        },
      },
    });
    expect(handshake).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(handshake!.deref()).toBeUndefined();
    expect(server.state).toBe('connected');
    await client.close();
  });

  it('stream handlers are called as methods: a class instance works', async () => {
    class Handlers implements StreamRequestHandlers {
      readonly published: string[] = [];
      publish(request: PublishRequest): void {
        this.published.push(request.name);
      }
    }
    const handlers = new Handlers();
    const { client, server } = await connectPair();
    server.onStreamRequest(handlers);
    const stream = await client.createStream();
    await stream.publish('cam1');
    expect(handlers.published).toEqual(['cam1']);
    await client.close();
  });

  it('sessions with equal tuning share one frozen object; other settings get their own', () => {
    const a = resolveTuning({ timeouts: { idle: 5000 }, pingInterval: 1000 }, 'server');
    const b = resolveTuning({ timeouts: { idle: 5000 }, pingInterval: 1000 }, 'server');
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.timeouts) && Object.isFrozen(a.limits)).toBe(true);
    const options = { timeouts: { idle: 6000 }, pingInterval: 1000 };
    const c = resolveTuning(options, 'server');
    expect(c).not.toBe(a);
    expect(c.timeouts.idle).toBe(6000);
    options.timeouts.idle = 7000; // the same options object, changed: not answered from the cache
    expect(resolveTuning(options, 'server').timeouts.idle).toBe(7000);
    expect(resolveTuning({}, 'client').pingInterval).toBe(0);
    expect(resolveTuning({}, 'server').pingInterval).toBe(30_000);
  });
});

describe('chunk streams with low and high ids', () => {
  it('decodes messages on ids below and above 64, each with its own header state', () => {
    const encoder = new ChunkEncoder();
    const ids = [2, 3, 63, 64, 320, 65_599];
    const bytes: Buffer[] = [];
    for (let round = 0; round < 3; round++) {
      for (const id of ids) bytes.push(encoder.encode({ type: 9, streamId: 1, timestamp: round * 40 + id, payload: Buffer.alloc(200 + id % 7, id & 0xff) }, id));
    }
    const decoded: Array<{ id: number; timestamp: number; length: number }> = [];
    new ChunkDecoder().push(Buffer.concat(bytes), (message, id) => decoded.push({ id, timestamp: message.timestamp, length: message.payload.length }));
    const expected = [0, 1, 2].flatMap((round) => ids.map((id) => ({ id, timestamp: round * 40 + id, length: 200 + id % 7 })));
    expect(decoded).toEqual(expected);
  });

  it('maxChunkStreams counts low and high ids together', () => {
    const encoder = new ChunkEncoder();
    const message = { type: 20, streamId: 0, timestamp: 0, payload: Buffer.alloc(10) };
    const decoder = new ChunkDecoder({ maxChunkStreams: 2 });
    decoder.push(Buffer.concat([encoder.encode(message, 5), encoder.encode(message, 100)]), () => {});
    expect(() => decoder.push(encoder.encode(message, 3), () => {})).toThrow(LimitExceededError);
  });
});
