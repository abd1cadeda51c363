import { describe, expect, it } from 'vitest';
import {
  HandshakeError,
  LimitExceededError,
  RtmpError,
  RtmpProtocolError,
  SessionClosedError,
  TimeoutError,
} from '../src/errors/index.js';
import { encodeCommand } from '../src/message/index.js';
import type { NetStream } from '../src/session/index.js';
import { startClientSession, startServerSession } from '../src/session/index.js';
import { connectPair, createChannelPair, RawPeer, until } from './helpers/channel-pair.js';

/** A server session and a hand-driven client that has finished the handshake and, if asked, connect. */
async function serverWithRawClient(options: Parameters<typeof startServerSession>[1] = {}, connect = true) {
  const [clientChannel, serverChannel] = createChannelPair();
  const incomingPromise = startServerSession(serverChannel, options);
  incomingPromise.catch(() => {});
  const peer = new RawPeer(clientChannel, 'client');
  await until(() => peer.handshakeDone);
  if (connect) peer.send(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] }, { streamId: 0 }));
  return { peer, incomingPromise, clientChannel, serverChannel };
}

describe('session: timeouts', () => {
  it('handshake timeout: a peer that never finishes the handshake', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    clientChannel.attach({ data() {}, drain() {}, close() {} });
    clientChannel.write(Buffer.from([3])); // C0, and nothing more
    const error = await startServerSession(serverChannel, { timeouts: { handshake: 40 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeout).toBe('handshake');
    await until(() => serverChannel.closed);

    const [silentClient, silentServer] = createChannelPair();
    silentServer.attach({ data() {}, drain() {}, close() {} });
    const clientError = await startClientSession(silentClient, { url: 'rtmp://h/a', timeouts: { handshake: 40 } }).catch((caught: unknown) => caught);
    expect((clientError as TimeoutError).timeout).toBe('handshake');
    await until(() => silentClient.closed);
  });

  it('connect timeout, server side: the handshake is done but connect never comes', async () => {
    const { incomingPromise, serverChannel } = await serverWithRawClient({ timeouts: { connect: 60 } }, false);
    const error = await incomingPromise.catch((caught: unknown) => caught);
    expect((error as TimeoutError).timeout).toBe('connect');
    expect((error as TimeoutError).ms).toBe(60);
    await until(() => serverChannel.closed);
  });

  it('connect timeout, server side: the application never answers; a late accept() fails', async () => {
    const { incomingPromise } = await serverWithRawClient({ timeouts: { connect: 300 } });
    const incoming = await incomingPromise;
    await new Promise((resolve) => setTimeout(resolve, 350));
    const error = await incoming.accept().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionClosedError);
    expect((error as SessionClosedError).cause).toBeInstanceOf(TimeoutError);
  });

  it('connect timeout, client side: the server never answers connect', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const peer = new RawPeer(serverChannel, 'server');
    const error = await startClientSession(clientChannel, { url: 'rtmp://h/a', timeouts: { connect: 60 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeout).toBe('connect');
    expect(peer.commands().map((c) => c.name)).toEqual(['connect']);
    await until(() => clientChannel.closed);
  });

  it('idle timeout: nothing received for too long closes with TimeoutError; pings keep a quiet session up', async () => {
    const quiet = await connectPair({ client: { timeouts: { idle: 50 } }, server: { pingInterval: 0 } });
    await quiet.client.closed;
    expect(quiet.client.closeError).toBeInstanceOf(TimeoutError);
    expect((quiet.client.closeError as TimeoutError).timeout).toBe('idle');
    expect(quiet.clientChannel.closed).toBe(true);
    await quiet.server.closed; // the server sees the client go

    const pinged = await connectPair({ client: { timeouts: { idle: 200 } }, server: { pingInterval: 20 } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pinged.client.state).toBe('connected');
    await pinged.client.close();
  });

  it('the idle deadline does not run while the session itself holds the channel paused for a slow reader', async () => {
    const { client, server, serverChannel } = await connectPair({ server: { timeouts: { idle: 100 }, pingInterval: 0, limits: { maxQueuedBytes: 1000 } } });
    let serverStream: NetStream | undefined;
    server.onStreamRequest({ publish: ({ stream }) => void (serverStream = stream) });
    const stream = await client.createStream();
    await stream.publish('x');
    for (let i = 0; i < 5; i++) void stream.send({ type: 9, timestamp: i, payload: Buffer.alloc(600) }).catch(() => {});
    await until(() => serverChannel.paused);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.state).toBe('connected');
    let count = 0;
    for await (const _ of serverStream!) if (++count === 5) break;
    await client.close();
  });
});

describe('session: bad input and hang-ups', () => {
  it('text instead of a handshake fails with HandshakeError', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    clientChannel.attach({ data() {}, drain() {}, close() {} });
    clientChannel.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const error = await startServerSession(serverChannel).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HandshakeError);
    await until(() => serverChannel.closed && clientChannel.closed);
  });

  it('garbage after the handshake fails that session with a typed error; another session is unaffected', async () => {
    const other = await connectPair();
    other.server.handle('ping', () => 'pong');
    const { peer, incomingPromise, serverChannel } = await serverWithRawClient({}, false);
    peer.channel.write(Buffer.from([0x83, 0xff, 0xff, 0xff, 0x00, 0x00, 0x10, 0x14])); // fmt 2 before any fmt 0
    const error = await incomingPromise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RtmpProtocolError);
    await until(() => serverChannel.closed);
    expect((await other.client.call('ping')).args).toEqual(['pong']);
    await other.client.close();
  });

  it('garbage on a connected session: closeError is typed, calls and stream iterators end with it', async () => {
    const { peer, incomingPromise } = await serverWithRawClient();
    const server = await (await incomingPromise).accept();
    let serverStream: NetStream | undefined;
    server.onStreamRequest({ publish: ({ stream }) => void (serverStream = stream) });
    peer.send(encodeCommand({ name: 'createStream', transactionId: 2, commandObject: null, args: [] }, { streamId: 0 }));
    peer.send(encodeCommand({ name: 'publish', transactionId: 0, commandObject: null, args: ['x', 'live'] }, { streamId: 1 }), 8);
    await until(() => serverStream !== undefined);
    const iterating = (async () => {
      for await (const _ of serverStream!) {
        // nothing arrives
      }
    })().catch((caught: unknown) => caught);
    const call = server.call('anything').catch((caught: unknown) => caught);
    // A command whose AMF is broken: an unknown marker after the name.
    peer.send({ type: 20, streamId: 0, timestamp: 0, payload: Buffer.from([0x02, 0x00, 0x01, 0x78, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xee]) });
    await server.closed;
    expect(RtmpError.isInstance(server.closeError)).toBe(true);
    expect(await iterating).toBe(server.closeError);
    expect(await call).toBeInstanceOf(SessionClosedError);
    expect(((await call) as SessionClosedError).cause).toBe(server.closeError);
  });

  it('a message above maxMessageSize fails the session with LimitExceededError', async () => {
    const { peer, incomingPromise } = await serverWithRawClient({ limits: { maxMessageSize: 1000 } });
    const server = await (await incomingPromise).accept();
    peer.send({ type: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(5000) }, 6);
    await server.closed;
    expect(server.closeError).toBeInstanceOf(LimitExceededError);
    expect((server.closeError as LimitExceededError).limit).toBe('maxMessageSize');
  });

  it('a command other than connect first is a protocol error', async () => {
    const { peer, incomingPromise } = await serverWithRawClient({}, false);
    peer.send(encodeCommand({ name: 'createStream', transactionId: 1, commandObject: null, args: [] }, { streamId: 0 }));
    await expect(incomingPromise).rejects.toBeInstanceOf(RtmpProtocolError);
  });

  it('a peer that closes in the middle of a message: SessionClosedError, and the stream iterator ends with it', async () => {
    const { peer, incomingPromise } = await serverWithRawClient();
    const server = await (await incomingPromise).accept();
    let serverStream: NetStream | undefined;
    server.onStreamRequest({ publish: ({ stream }) => void (serverStream = stream) });
    peer.send(encodeCommand({ name: 'createStream', transactionId: 2, commandObject: null, args: [] }, { streamId: 0 }));
    peer.send(encodeCommand({ name: 'publish', transactionId: 0, commandObject: null, args: ['x', 'live'] }, { streamId: 1 }), 8);
    await until(() => serverStream !== undefined);
    const iterating = (async () => {
      for await (const _ of serverStream!) {
        // nothing complete arrives
      }
    })().catch((caught: unknown) => caught);
    const bytes = peer.encoder.encode({ type: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(1000) }, 6);
    peer.channel.write(bytes.subarray(0, 300));
    await new Promise((resolve) => setTimeout(resolve, 10));
    peer.channel.destroy();
    await server.closed;
    expect(server.closeError).toBeInstanceOf(SessionClosedError);
    expect(server.closeError!.message).toMatch(/middle of a chunk or message/);
    expect(await iterating).toBe(server.closeError);
  });

  it.each([
    ['inside a chunk header', 5],
    ['right after a chunk header, before its data', 12],
  ])('a peer that closes %s: SessionClosedError', async (_where, cut) => {
    const { peer, incomingPromise } = await serverWithRawClient();
    const server = await (await incomingPromise).accept();
    const bytes = peer.encoder.encode({ type: 9, streamId: 0, timestamp: 0, payload: Buffer.alloc(1000) }, 6);
    peer.channel.write(bytes.subarray(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 10));
    peer.channel.destroy();
    await server.closed;
    expect(server.closeError).toBeInstanceOf(SessionClosedError);
    expect(server.closeError!.message).toMatch(/middle of a chunk or message/);
  });

  it('a peer that hangs up during the handshake: SessionClosedError', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    clientChannel.attach({ data() {}, drain() {}, close() {} });
    clientChannel.write(Buffer.alloc(100, 3));
    setTimeout(() => clientChannel.destroy(), 10);
    const error = await startServerSession(serverChannel).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionClosedError);
    expect((error as Error).message).toMatch(/handshake/);
  });

  it('a peer that goes away between messages is an orderly end (no closeError)', async () => {
    const { client, server, clientChannel } = await connectPair();
    clientChannel.end();
    await server.closed;
    expect(server.closeError).toBeUndefined();
    await client.closed;
  });
});
