import { describe, expect, it } from 'vitest';
import { AbortedError, CommandError, RtmpError } from '../src/errors/index.js';
import { decodeCommand, decodeData, encodeCommand, MessageType } from '../src/message/index.js';
import { ClientHandshake, ServerHandshake } from '../src/handshake/index.js';
import {
  DEFAULT_SESSION_LIMITS,
  DEFAULT_SESSION_TIMEOUTS,
  startClientSession,
  startServerSession,
  type HandshakeDriver,
} from '../src/session/index.js';
import { connectPair, createChannelPair, RawPeer, until, wireMessages } from './helpers/channel-pair.js';

describe('session: connect', () => {
  it('connects with objectEncoding 0: the server sees what the client sent, the client gets the _result', async () => {
    const { client, server, incoming } = await connectPair({
      client: { url: 'rtmp://media.example:1935/live', command: { flashVer: 'FMLE/3.0 (compatible; test)', swfUrl: 'http://x/a.swf' } },
    });
    expect(incoming.connectInfo).toMatchObject({
      app: 'live',
      tcUrl: 'rtmp://media.example:1935/live',
      flashVer: 'FMLE/3.0 (compatible; test)',
      swfUrl: 'http://x/a.swf',
      objectEncoding: 0,
    });
    expect(incoming.connectInfo.command).toMatchObject({ fpad: false, capabilities: 15, audioCodecs: 4071, videoCodecs: 252, videoFunction: 1 });
    expect(client.state).toBe('connected');
    expect(server.state).toBe('connected');
    expect(client.role).toBe('client');
    expect(server.role).toBe('server');
    expect(client.scheme).toBe('rtmp');
    expect(client.connectResult?.commandObject).toMatchObject({ fmsVer: 'FMS/3,0,1,123', capabilities: 31 });
    expect(client.connectResult?.args[0]).toMatchObject({ level: 'status', code: 'NetConnection.Connect.Success', objectEncoding: 0 });
    await client.close();
  });

  it('connects with objectEncoding 3: commands after connect travel as type 17, data as type 15', async () => {
    const { client, server, clientChannel, serverChannel } = await connectPair({ client: { objectEncoding: 3 } });
    expect(server.connectInfo.objectEncoding).toBe(3);
    expect(client.connectResult?.args[0]).toMatchObject({ objectEncoding: 3 });
    server.handle('echo', (args) => [args]);
    const result = await client.call('echo', [{ nested: [1, 'two'] }, new Map([['k', 1]])]);
    expect(result.args[0]).toEqual([{ nested: [1, 'two'] }, new Map([['k', 1]])]);
    const data: unknown[][] = [];
    server.onStreamRequest({
      publish: ({ stream }) => {
        void (async () => {
          for await (const message of stream) data.push([message.type, decodeData(message)]);
        })();
      },
    });
    const stream = await client.createStream();
    await stream.publish('x');
    await stream.sendData('onCuePoint', [{ name: 'cue', time: 1.5 }]);
    await stream.sendData('@setDataFrame', ['onMetaData', { duration: 0 }]);
    await until(() => data.length === 2);
    expect(data[0]).toEqual([MessageType.DataAmf3, { name: 'onCuePoint', values: [{ name: 'cue', time: 1.5 }] }]);
    // The server strips @setDataFrame from AMF3 data too.
    expect(data[1]).toEqual([MessageType.DataAmf3, { name: 'onMetaData', values: [{ duration: 0 }] }]);
    await client.close();
    const fromClient = wireMessages(clientChannel).filter((m) => m.type !== 1 && m.type !== 3 && m.type !== 4 && m.type !== 5);
    expect(fromClient[0]!.type).toBe(MessageType.CommandAmf0); // connect itself is AMF0
    expect(decodeCommand(fromClient[0]!).name).toBe('connect');
    expect(new Set(fromClient.slice(1).map((m) => m.type))).toEqual(new Set([MessageType.CommandAmf3, MessageType.DataAmf3]));
    const fromServer = wireMessages(serverChannel).filter((m) => m.type === 17 || m.type === 20);
    expect(decodeCommand(fromServer[0]!).name).toBe('_result');
    expect(fromServer[0]!.type).toBe(MessageType.CommandAmf0); // the connect answer is AMF0
    expect(fromServer.slice(1).every((m) => m.type === MessageType.CommandAmf3)).toBe(true);
  });

  it('uses what the server answered: a client that asked for objectEncoding 3 and got 0 stays with AMF0', async () => {
    const { client, server, clientChannel } = await connectPair({ client: { objectEncoding: 3 }, acceptInfo: { objectEncoding: 0 } });
    server.handle('echo', (args) => args);
    expect((await client.call('echo', [{ a: 1 }])).args).toEqual([{ a: 1 }]);
    await client.close();
    const commands = wireMessages(clientChannel).filter((m) => m.type === 17 || m.type === 20);
    expect(commands.every((m) => m.type === MessageType.CommandAmf0)).toBe(true);
  });

  it('surfaces the Enhanced RTMP fields of connect, and the server announces its own in _result', async () => {
    const { client, incoming } = await connectPair({
      client: {
        command: {
          fourCcList: ['hvc1', 'av01', 'Opus'],
          videoFourCcInfoMap: { hvc1: 3, '*': 4 },
          audioFourCcInfoMap: { Opus: 1 },
          capsEx: 0x0b,
        },
      },
      server: { enhanced: { videoFourCcInfoMap: { hvc1: 1, av01: 1 }, capsEx: 2 } },
    });
    expect(incoming.connectInfo.fourCcList).toEqual(['hvc1', 'av01', 'Opus']);
    expect(incoming.connectInfo.videoFourCcInfoMap).toEqual({ hvc1: 3, '*': 4 });
    expect(incoming.connectInfo.audioFourCcInfoMap).toEqual({ Opus: 1 });
    expect(incoming.connectInfo.capsEx).toBe(0x0b);
    expect(client.connectResult?.commandObject).toMatchObject({ videoFourCcInfoMap: { hvc1: 1, av01: 1 }, capsEx: 2 });
    await client.close();
  });

  it('accept() sends Window Ack Size, Set Peer Bandwidth, StreamBegin(0), Set Chunk Size, then _result', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const incomingPromise = startServerSession(serverChannel, { chunkSize: 8192, windowAckSize: 5_000_000, sendBwDone: true });
    const peer = new RawPeer(clientChannel, 'client');
    await until(() => peer.handshakeDone);
    peer.send(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'vod', tcUrl: 'rtmp://h/vod', objectEncoding: 3 }, args: ['extra'] }, { streamId: 0 }));
    const incoming = await incomingPromise;
    expect(incoming.connectInfo).toMatchObject({ app: 'vod', objectEncoding: 3, args: ['extra'] });
    await incoming.accept({ data: 'hello' });
    await peer.waitForCommand('onBWDone');
    const sequence = peer.received.map((m) => m.type);
    expect(sequence.slice(0, 5)).toEqual([5, 6, 4, 1, 20]);
    expect(peer.received[0]!.payload.readUInt32BE(0)).toBe(5_000_000);
    expect([...peer.received[1]!.payload]).toEqual([0x00, 0x4c, 0x4b, 0x40, 2]);
    expect([...peer.received[2]!.payload]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(peer.received[3]!.payload.readUInt32BE(0)).toBe(8192);
    const result = decodeCommand(peer.received[4]!);
    expect(result).toMatchObject({ name: '_result', transactionId: 1 });
    expect(result.commandObject).toMatchObject({ fmsVer: 'FMS/3,0,1,123', capabilities: 31 });
    expect(result.args[0]).toMatchObject({ level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 3, data: 'hello' });
  });

  it('the client announces its chunk size after connect (4096 by default) and the server decodes with it', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const peer = new RawPeer(serverChannel, 'server');
    const clientPromise = startClientSession(clientChannel, { url: 'rtmp://h/app' });
    const connect = await peer.waitForCommand('connect');
    expect(connect.transactionId).toBe(1);
    expect(connect.commandObject).toMatchObject({ app: 'app', tcUrl: 'rtmp://h:1935/app', objectEncoding: 0 });
    peer.send(encodeCommand({ name: '_result', transactionId: 1, commandObject: null, args: [{ level: 'status', code: 'NetConnection.Connect.Success' }] }, { streamId: 0 }));
    await clientPromise;
    const setChunkSize = await peer.waitFor((m) => m.type === 1);
    expect(setChunkSize.payload.readUInt32BE(0)).toBe(4096);
  });

  it('a rejected connect rejects with CommandError carrying NetConnection.Connect.Rejected and the reason', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const incomingPromise = startServerSession(serverChannel);
    const clientPromise = startClientSession(clientChannel, { url: 'rtmp://localhost/nope' }).catch((caught: unknown) => caught);
    const incoming = await incomingPromise;
    await incoming.reject('no such application');
    const error = await clientPromise;
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).statusCode).toBe('NetConnection.Connect.Rejected');
    expect((error as CommandError).message).toContain('no such application');
    expect(RtmpError.isInstance(error)).toBe(true);
    await until(() => clientChannel.closed && serverChannel.closed);
  });

  it('a connect aborted through its AbortSignal rejects with AbortedError and destroys the channel', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const controller = new AbortController();
    void startServerSession(serverChannel).catch(() => {});
    const pending = startClientSession(clientChannel, { url: 'rtmp://localhost/live', signal: controller.signal });
    controller.abort(new Error('user gave up'));
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBeInstanceOf(Error);
    await until(() => clientChannel.closed);
  });

  it('an orderly close from either side ends both sessions without an error', async () => {
    const first = await connectPair();
    await first.client.close();
    await first.server.closed;
    expect(first.client.state).toBe('closed');
    expect(first.server.state).toBe('closed');
    expect(first.client.closeError).toBeUndefined();
    expect(first.server.closeError).toBeUndefined();

    const second = await connectPair();
    await second.server.close();
    await second.client.closed;
    expect(second.client.state).toBe('closed');
    expect(second.client.closeError).toBeUndefined();
    await second.client.close(); // a second close just waits
  });

  it('the client closes its streams in order: FCUnpublish, closeStream, deleteStream', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const peer = new RawPeer(serverChannel, 'server');
    const clientPromise = startClientSession(clientChannel, { url: 'rtmp://h/app', chunkSize: 128 });
    await peer.waitForCommand('connect');
    peer.send(encodeCommand({ name: '_result', transactionId: 1, commandObject: null, args: [{ level: 'status', code: 'NetConnection.Connect.Success' }] }, { streamId: 0 }));
    const client = await clientPromise;
    const streamPromise = client.createStream();
    const create = await peer.waitForCommand('createStream');
    peer.send(encodeCommand({ name: '_result', transactionId: create.transactionId, commandObject: null, args: [1] }, { streamId: 0 }));
    const stream = await streamPromise;
    const publishing = stream.publish('cam');
    const publish = await peer.waitForCommand('publish');
    expect(publish.args).toEqual(['cam', 'live']);
    peer.send(encodeCommand({ name: 'onStatus', transactionId: 0, commandObject: null, args: [{ level: 'status', code: 'NetStream.Publish.Start' }] }, { streamId: 1 }), 5);
    await publishing;
    await client.close();
    await until(() => peer.closed);
    const names = peer.commands().map((c) => c.name);
    expect(names).toEqual(['connect', 'createStream', 'publish', 'FCUnpublish', 'closeStream', 'deleteStream']);
    expect(peer.commands().at(-1)!.args).toEqual([1]);
    expect(peer.commands().map((c) => c.transactionId).slice(0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('onBWDone from the server is answered with _checkbw, which the server answers', async () => {
    const { client, clientChannel, serverChannel } = await connectPair({ server: { sendBwDone: true } });
    await until(() => wireMessages(clientChannel).some((m) => (m.type === 20 || m.type === 17) && decodeCommand(m).name === '_checkbw'));
    const checkbw = wireMessages(clientChannel).map((m) => (m.type === 20 ? decodeCommand(m) : undefined)).find((c) => c?.name === '_checkbw')!;
    await until(() => wireMessages(serverChannel).some((m) => m.type === 20 && decodeCommand(m).name === '_result' && decodeCommand(m).transactionId === checkbw.transactionId));
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('takes the handshake as options, a driver or a factory (the RTMPE plug-in point)', async () => {
    let made = 0;
    const { client } = await connectPair({
      client: { handshake: { digest: false } },
      server: {
        handshake: () => {
          made++;
          return new ServerHandshake({ strictC2: true });
        },
      },
    });
    expect(made).toBe(1);
    await client.close();
    const received: number[] = [];
    const inner = new ClientHandshake({ digest: false });
    const driver: HandshakeDriver = {
      start: () => inner.start(),
      receive: (bytes) => {
        received.push(bytes.length);
        return inner.receive(bytes);
      },
    };
    const second = await connectPair({ client: { handshake: driver } });
    expect(received.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1 + 2 * 1536);
    await second.client.close();
  });

  it('documents its defaults, and refuses bad options with RangeError', () => {
    expect(DEFAULT_SESSION_TIMEOUTS).toEqual({ handshake: 10_000, connect: 15_000, idle: 120_000, call: 30_000, close: 5_000 });
    expect(DEFAULT_SESSION_LIMITS).toMatchObject({ maxOutgoingBytes: 16 * 1024 * 1024, maxQueuedBytes: 1024 * 1024, maxStreams: 64 });
    return Promise.all([
      expect(startClientSession(createChannelPair()[0], { url: 'rtmp://h/app', timeouts: { call: -1 } })).rejects.toBeInstanceOf(RangeError),
      expect(startClientSession(createChannelPair()[0], { url: 'rtmp://h/app', chunkSize: 0 })).rejects.toBeInstanceOf(RangeError),
      expect(startClientSession(createChannelPair()[0], { url: 'rtmp://h/app', maxChunkStreamId: 4 })).rejects.toBeInstanceOf(RangeError),
      expect(startClientSession(createChannelPair()[0], { url: 'http://h/app' })).rejects.toMatchObject({ name: 'InvalidUrlError' }),
    ]);
  });
});
