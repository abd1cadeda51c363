import { describe, expect, it } from 'vitest';
import { LimitExceededError } from '../src/errors/index.js';
import {
  decodeUserControl,
  encodeCommand,
  encodeSetPeerBandwidth,
  encodeUserControl,
  encodeWindowAcknowledgementSize,
  type RtmpMessage,
} from '../src/message/index.js';
import { FlowControl } from '../src/session/flow-control.js';
import type { NetStream, Session } from '../src/session/index.js';
import { startClientSession } from '../src/session/index.js';
import { connectPair, createChannelPair, RawPeer, until, wireMessages } from './helpers/channel-pair.js';

/** A client connected to a hand-driven server peer. */
async function clientWithRawServer(options: Parameters<typeof startClientSession>[1] extends infer O ? Partial<O> : never = {}) {
  const [clientChannel, serverChannel] = createChannelPair();
  const peer = new RawPeer(serverChannel, 'server');
  const clientPromise = startClientSession(clientChannel, { url: 'rtmp://h/app', chunkSize: 128, ...options });
  await peer.waitForCommand('connect');
  peer.send(encodeCommand({ name: '_result', transactionId: 1, commandObject: null, args: [{ level: 'status', code: 'NetConnection.Connect.Success' }] }, { streamId: 0 }));
  const client = await clientPromise;
  return { client, peer, clientChannel, serverChannel };
}

const acks = (messages: RtmpMessage[]) => messages.filter((m) => m.type === 3).map((m) => m.payload.readUInt32BE(0));
const windowSizes = (messages: RtmpMessage[]) => messages.filter((m) => m.type === 5).map((m) => m.payload.readUInt32BE(0));

describe('session: flow control', () => {
  it('acknowledges after each window of received bytes, counting every byte after the handshake', async () => {
    const { client, peer, clientChannel, serverChannel } = await clientWithRawServer();
    peer.send(encodeWindowAcknowledgementSize(1000), 2);
    for (let i = 0; i < 30; i++) {
      peer.send(encodeCommand({ name: 'onStatus', transactionId: 0, commandObject: null, args: [{ level: 'status', code: 'X', pad: 'x'.repeat(100 + i) }] }, { streamId: 0 }));
    }
    await until(() => clientChannel.bytesDelivered === serverChannel.bytesWritten);
    // Replay what the client received, write by write (each write arrives as one delivery).
    const writes = serverChannel.written.slice(1).map((w) => w.length); // [0] is S0+S1+S2
    const expected: number[] = [];
    let total = 0;
    let since = 0;
    let window: number | undefined;
    writes.forEach((length, index) => {
      total += length;
      since += length;
      if (window !== undefined && since >= window) {
        expected.push(total);
        since = 0;
      }
      if (index === 1) window = 1000; // the second write after the handshake was Window Ack Size
    });
    await until(() => acks(peer.received).length === expected.length);
    expect(acks(peer.received)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(3);
    await client.close();
  });

  it('wraps the acknowledged count at 2^32', () => {
    const flow = new FlowControl();
    flow.onWindowAckSize(1000);
    expect(flow.onBytes(0xffffff00)).toBe(0xffffff00);
    expect(flow.onBytes(0x100)).toBeUndefined();
    expect(flow.onBytes(0x300)).toBe(0x300); // 0xFFFFFF00 + 0x400 - 2^32
    expect(flow.bytesReceived).toBe(0x300);
  });

  it('our server acknowledges what a publishing client sends, at the window the client answered with', async () => {
    const { client, server, serverChannel } = await connectPair({ server: { windowAckSize: 20_000 } });
    let serverStream: NetStream | undefined;
    server.onStreamRequest({ publish: ({ stream }) => void (serverStream = stream) });
    const stream = await client.createStream();
    await stream.publish('x');
    const reading = (async () => {
      for await (const _ of serverStream!) {
        // drain
      }
    })();
    for (let i = 0; i < 50; i++) await stream.send({ type: 9, timestamp: i * 40, payload: Buffer.alloc(5000, i) });
    await until(() => acks(wireMessages(serverChannel)).length >= 10);
    const values = acks(wireMessages(serverChannel));
    expect(values.every((value, i) => i === 0 || value - values[i - 1]! >= 20_000)).toBe(true);
    await client.close();
    await reading;
  });

  it('answers PingRequest with PingResponse carrying the same timestamp', async () => {
    const { client, peer } = await clientWithRawServer();
    peer.send(encodeUserControl({ kind: 'PingRequest', timestamp: 123456 }), 2);
    const pong = await peer.waitFor((m) => m.type === 4 && decodeUserControl(m).kind === 'PingResponse');
    expect(decodeUserControl(pong)).toEqual({ kind: 'PingResponse', timestamp: 123456 });
    await client.close();
  });

  it('the server pings at its interval and the client answers', async () => {
    const { client, server, clientChannel } = await connectPair({ server: { pingInterval: 15 } });
    await until(() => wireMessages(clientChannel).some((m) => m.type === 4 && decodeUserControl(m).kind === 'PingResponse'));
    expect(server.state).toBe('connected');
    await client.close();
  });

  it('answers Set Peer Bandwidth with Window Ack Size when the limit changes, per limit type, tolerating nginx', async () => {
    const { client, peer } = await clientWithRawServer();
    const sendBandwidth = (windowSize: number, limitType: number) => peer.send(encodeSetPeerBandwidth({ windowSize, limitType }), 2);
    sendBandwidth(3_000_000, 2); // nginx and FFmpeg send Dynamic first: it sets the limit
    await until(() => windowSizes(peer.received).length === 1);
    sendBandwidth(3_000_000, 2); // the same: no answer
    sendBandwidth(1_000_000, 1); // Soft: the smaller
    await until(() => windowSizes(peer.received).length === 2);
    sendBandwidth(5_000_000, 1); // Soft and larger: stays 1 000 000, no answer
    sendBandwidth(5_000_000, 2); // Dynamic after Soft: ignored
    sendBandwidth(4_000_000, 0); // Hard
    await until(() => windowSizes(peer.received).length === 3);
    sendBandwidth(6_000_000, 2); // Dynamic after Hard: like Hard
    sendBandwidth(7_000_000, 9); // an unknown type is read as Dynamic (after Hard: taken)
    await until(() => windowSizes(peer.received).length === 5);
    expect(windowSizes(peer.received)).toEqual([3_000_000, 1_000_000, 4_000_000, 6_000_000, 7_000_000]);
    expect(client.state).toBe('connected');
    await client.close();
  });
});

describe('session: backpressure', () => {
  /** A publisher and the server's stream; the server's application reads only when told to. */
  async function publisherToIdleReader(limits: { maxQueuedBytes: number }, highWaterMark: number) {
    const pair = await connectPair({ channel: { highWaterMark }, server: { limits } });
    let serverStream: NetStream | undefined;
    pair.server.onStreamRequest({ publish: ({ stream }) => void (serverStream = stream) });
    const stream = await pair.client.createStream();
    await stream.publish('slow');
    return { ...pair, stream, serverStream: () => serverStream! };
  }

  it('a reader that stops makes the sender\'s send() pend with memory bounded, and it resumes when the reader does', async () => {
    const highWaterMark = 16 * 1024;
    const maxQueuedBytes = 64 * 1024;
    const { client, stream, serverStream, clientChannel, serverChannel } = await publisherToIdleReader({ maxQueuedBytes }, highWaterMark);
    const frame = Buffer.alloc(4000, 7);
    let sent = 0;
    let pending: Promise<void> | undefined;
    // Send until a send waits while the reader's side holds the channel paused.
    const sleep = (ms: number) => new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), ms));
    for (; sent < 2000; sent++) {
      const promise = stream.send({ type: 9, timestamp: sent, payload: frame });
      const outcome = await Promise.race([promise.then(() => 'sent' as const), sleep(20)]);
      if (outcome === 'sent') continue;
      if (!serverChannel.paused) {
        await promise; // only slow, not held: go on
        continue;
      }
      pending = promise;
      break;
    }
    // Held for good while nobody reads: the send stays pending.
    let settled = false;
    void pending?.then(() => (settled = true));
    await sleep(60);
    expect(settled).toBe(false);
    expect(pending).toBeDefined();
    expect(serverChannel.paused).toBe(true);
    expect(client.writableNeedDrain).toBe(true);
    // Bounded: the sender's channel holds about one high-water mark, the reader's queue about its limit.
    expect(clientChannel.maxWritableLength).toBeLessThan(highWaterMark + 2 * 5000);
    const received: RtmpMessage[] = [];
    const iterator = serverStream()[Symbol.asyncIterator]();
    // Nothing was read yet; at most the limit plus one delivery is queued.
    // What was sent sits in the reader's queue (its limit, plus the delivery that crossed it), in
    // flight between the channels (what the network had taken before the reader paused: at most a
    // high-water mark), or in the sender's channel (its high-water mark, plus the write that crossed it).
    expect(sent * 4000).toBeLessThanOrEqual(maxQueuedBytes + 2 * highWaterMark + 2 * 4000);
    expect(sent).toBeGreaterThan(10);
    const reader = (async () => {
      while (received.length < sent + 1) {
        const next = await iterator.next();
        if (next.done) break;
        received.push(next.value);
      }
    })();
    await pending;
    await reader;
    expect(received.map((m) => m.timestamp)).toEqual(Array.from({ length: sent + 1 }, (_, i) => i));
    expect(serverChannel.paused).toBe(false);
    await client.close();
  });

  it('a stalled network makes send() wait for drain, then go on', async () => {
    const { client, server, clientChannel } = await connectPair({ channel: { highWaterMark: 8 * 1024 } });
    server.onStreamRequest({ publish: ({ stream }) => void (async () => { for await (const _ of stream); })() });
    const stream = await client.createStream();
    await stream.publish('x');
    clientChannel.stall();
    const resolved: boolean[] = [];
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 4; i++) sends.push(stream.send({ type: 8, timestamp: i, payload: Buffer.alloc(3000) }).then(() => void (resolved[i] = true)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Below the high-water mark a send resolves at once; past it, it waits for drain.
    expect(resolved).toEqual([true, true]);
    clientChannel.unstall();
    await Promise.all(sends);
    await client.close();
  });

  it('a writer that does not wait past maxOutgoingBytes fails the session with LimitExceededError', async () => {
    const { client, clientChannel } = await connectPair({ client: { limits: { maxOutgoingBytes: 100_000 } } });
    clientChannel.stall();
    const sessionStream: Session = client;
    const attempts: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) attempts.push(sessionStream.notify('spam', ['x'.repeat(2000)]).catch((error: unknown) => error));
    await sessionStream.closed;
    expect(sessionStream.closeError).toBeInstanceOf(LimitExceededError);
    expect((sessionStream.closeError as LimitExceededError).limit).toBe('maxOutgoingBytes');
    expect(clientChannel.maxWritableLength).toBeLessThanOrEqual(100_000);
    await Promise.all(attempts);
  });
});

describe('byte counters', () => {
  it('bytesIn and bytesOut count every byte each side wrote and received, handshake included', async () => {
    const { client, server, clientChannel, serverChannel } = await connectPair();
    server.handle('echo', (args) => args);
    await client.call('echo', ['x'.repeat(5000)]);
    await until(() => server.bytesIn === clientChannel.bytesWritten && client.bytesIn === serverChannel.bytesWritten);
    expect(client.bytesOut).toBe(clientChannel.bytesWritten);
    expect(server.bytesOut).toBe(serverChannel.bytesWritten);
    expect(client.bytesOut).toBeGreaterThan(1 + 1536 * 2 + 5000);
    await client.close();
  });
});
