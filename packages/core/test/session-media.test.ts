import { describe, expect, it } from 'vitest';
import { decodeAmf0Values } from '../src/amf/amf0/index.js';
import { ChunkDecoder } from '../src/chunk/index.js';
import { StreamRejectedError } from '../src/errors/index.js';
import { buildAggregate, decodeCommand, decodeData, decodeUserControl, encodeCommand, type RtmpMessage } from '../src/message/index.js';
import type { IncomingSession, NetStream, PlayRequest, Session, StreamEndEvent } from '../src/session/index.js';
import { normalizePlayStart, startClientSession, startServerSession } from '../src/session/index.js';
import { connectPair, createChannelPair, RawPeer, until, wireMessages } from './helpers/channel-pair.js';

const AUDIO = 8;
const VIDEO = 9;
const DATA = 18;

function pattern(length: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

function media(count: number, seed: number, bigFrame = 0): RtmpMessage[] {
  const messages: RtmpMessage[] = [];
  for (let i = 0; i < count; i++) {
    const size = i === 2 && bigFrame > 0 ? bigFrame : 150 + ((i * 977) % 6000);
    messages.push({ type: VIDEO, streamId: 0, timestamp: i * 40, payload: pattern(size, seed * 1000 + i) });
    messages.push({ type: AUDIO, streamId: 0, timestamp: i * 40 + 10, payload: pattern(90 + i, seed * 1000 + 500 + i) });
  }
  return messages;
}

const summary = (messages: RtmpMessage[]) => messages.map((m) => [m.type, m.timestamp, m.payload.toString('base64')]);

/** Takes `count` messages without ending the iteration (a `break` would drop what follows). */
async function take(stream: AsyncIterable<RtmpMessage>, count: number): Promise<RtmpMessage[]> {
  const iterator = stream[Symbol.asyncIterator]();
  const items: RtmpMessage[] = [];
  while (items.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`the stream ended after ${items.length} of ${count}`);
    items.push({ ...next.value, payload: Buffer.from(next.value.payload) });
  }
  return items;
}

/** A tiny live server: what is published under a name goes to the players of that name. */
class Relay {
  readonly players = new Map<string, Set<NetStream>>();
  readonly ends: StreamEndEvent[] = [];
  readonly sessions: Session[] = [];

  async connect(options: { url?: string } = {}): Promise<Session> {
    const [clientChannel, serverChannel] = createChannelPair();
    const incomingPromise = startServerSession(serverChannel);
    const clientPromise = startClientSession(clientChannel, { url: options.url ?? 'rtmp://localhost/live' });
    const server = await this.accept(await incomingPromise);
    this.sessions.push(server);
    return clientPromise;
  }

  private async accept(incoming: IncomingSession): Promise<Session> {
    const session = await incoming.accept();
    const playersOf = (name: string) => {
      let set = this.players.get(name);
      if (!set) this.players.set(name, (set = new Set()));
      return set;
    };
    session.onStreamRequest({
      play: ({ stream, name }) => {
        if (name === 'missing') throw new StreamRejectedError('NetStream.Play.StreamNotFound', 'no such stream');
        playersOf(name).add(stream);
      },
      publish: ({ stream, name }) => {
        if (name === 'taken') throw new StreamRejectedError('NetStream.Publish.BadName', `${name} is already published`);
        void (async () => {
          for await (const message of stream) {
            const shared = new Map<string, Buffer>();
            await Promise.all([...playersOf(name)].map((player) => player.send(message, { shared }).catch(() => playersOf(name).delete(player))));
          }
        })();
      },
      end: (event) => this.ends.push(event),
    });
    return session;
  }
}

describe('session: streams and media', () => {
  it('what one client publishes another plays: metadata (without @setDataFrame), video and audio, in order', async () => {
    const relay = new Relay();
    const player = await relay.connect();
    const playStream = await player.createStream();
    const statuses: string[] = [];
    playStream.onStatus((info) => statuses.push(info.code));
    await playStream.play('cam');
    expect(statuses).toEqual(['NetStream.Play.Start']);
    expect(playStream.mode).toBe('playing');
    const sampleAccess = await take(playStream, 1);
    expect(decodeAmf0Values(sampleAccess[0]!.payload)).toEqual(['|RtmpSampleAccess', true, true]);

    const publisher = await relay.connect();
    const publishStream = await publisher.createStream();
    await publishStream.publish('cam');
    expect(publishStream.mode).toBe('publishing');
    const sent = media(10, 1);
    const received = take(playStream, 1 + sent.length);
    await publishStream.sendMetadata({ width: 640, height: 360, videocodecid: 7 });
    for (const message of sent) await publishStream.send(message);
    const [metadata, ...rest] = await received;
    expect(metadata!.type).toBe(DATA);
    const values = decodeAmf0Values(metadata!.payload);
    expect(values[0]).toBe('onMetaData');
    expect(values[1]).toMatchObject({ width: 640, height: 360, videocodecid: 7 });
    expect(summary(rest)).toEqual(summary(sent));
    await publisher.close();
    await player.close();
  });

  it('a message far larger than the chunk size arrives intact (client chunk size 128 and 4096)', async () => {
    for (const chunkSize of [128, 4096]) {
      const { client, server } = await connectPair({ client: { chunkSize } });
      let publisherStream: NetStream | undefined;
      server.onStreamRequest({ publish: ({ stream }) => void (publisherStream = stream) });
      const stream = await client.createStream();
      await stream.publish('big');
      const sent = media(4, 2, 1_000_000);
      const received = take(publisherStream!, sent.length);
      for (const message of sent) await stream.send(message);
      expect(summary(await received)).toEqual(summary(sent));
      await client.close();
    }
  });

  it('createStream hands out 1, 2, 3...; many streams on one connection stay apart', async () => {
    const relay = new Relay();
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
    const player = await relay.connect();
    const playStreams = await Promise.all(names.map(() => player.createStream()));
    expect(playStreams.map((s) => s.id)).toEqual(names.map((_, i) => i + 1));
    await Promise.all(playStreams.map((stream, i) => stream.play(names[i]!)));
    await Promise.all(playStreams.map((stream) => take(stream, 1))); // |RtmpSampleAccess
    const publisher = await relay.connect();
    const publishStreams = await Promise.all(names.map(() => publisher.createStream()));
    await Promise.all(publishStreams.map((stream, i) => stream.publish(names[i]!)));
    const sent = names.map((_, i) => media(4, 10 + i));
    const received = playStreams.map((stream, i) => take(stream, sent[i]!.length));
    for (let k = 0; k < sent[0]!.length; k++) {
      await Promise.all(publishStreams.map((stream, i) => stream.send(sent[i]![k]!)));
    }
    for (let i = 0; i < names.length; i++) expect(summary(await received[i]!)).toEqual(summary(sent[i]!));
    await publisher.close();
    await player.close();
  });

  it('keeps every outgoing chunk stream id below 32 with many streams', async () => {
    const { client, server, clientChannel } = await connectPair();
    const streams: NetStream[] = [];
    server.onStreamRequest({ publish: () => {} });
    for (let i = 0; i < 20; i++) streams.push(await client.createStream());
    await Promise.all(streams.map((stream, i) => stream.publish(`s${i}`)));
    for (const stream of streams) await stream.send({ type: VIDEO, timestamp: 0, payload: Buffer.alloc(10) });
    await client.close();
    const bytes = Buffer.concat(clientChannel.written).subarray(3073);
    const ids = new Set<number>();
    // Walk the chunk headers with the real decoder's help: record each basic header it reads.
    new ChunkDecoder().push(bytes, (_message, chunkStreamId) => ids.add(chunkStreamId));
    expect(Math.max(...ids)).toBeLessThan(32);
    expect(ids.size).toBeGreaterThan(5);
  });

  it('a refused publish rejects with StreamRejectedError and the server\'s code; the session stays up', async () => {
    const relay = new Relay();
    const client = await relay.connect();
    const stream = await client.createStream();
    const error = (await stream.publish('taken').catch((caught: unknown) => caught)) as StreamRejectedError;
    expect(error).toBeInstanceOf(StreamRejectedError);
    expect(error.statusCode).toBe('NetStream.Publish.BadName');
    expect(error.description).toBe('taken is already published');
    expect(stream.mode).toBe('idle');
    expect(client.state).toBe('connected');
    await stream.publish('free'); // the same stream can publish again
    const missing = await (await client.createStream()).play('missing').catch((caught: unknown) => caught);
    expect((missing as StreamRejectedError).statusCode).toBe('NetStream.Play.StreamNotFound');
    await client.close();
  });

  it('without stream handlers, publish is denied and play is not found', async () => {
    const { client } = await connectPair();
    const stream = await client.createStream();
    await expect(stream.publish('x')).rejects.toMatchObject({ statusCode: 'NetStream.Publish.Denied' });
    await expect(stream.play('x')).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
    await client.close();
  });

  it('a generic error from a handler refuses with BadName / StreamNotFound', async () => {
    const { client, server } = await connectPair();
    server.onStreamRequest({
      publish: () => {
        throw new Error('publishing is closed today');
      },
      play: async () => {
        throw new Error('nope');
      },
    });
    const stream = await client.createStream();
    await expect(stream.publish('x')).rejects.toMatchObject({ statusCode: 'NetStream.Publish.BadName' });
    await expect(stream.play('x')).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('the server answers play in order: StreamIsRecorded, StreamBegin, Play.Reset, Play.Start, |RtmpSampleAccess', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const incomingPromise = startServerSession(serverChannel, { chunkSize: 128 });
    const peer = new RawPeer(clientChannel, 'client');
    await until(() => peer.handshakeDone);
    peer.send(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'vod', tcUrl: 'rtmp://h/vod' }, args: [] }, { streamId: 0 }));
    const server = await (await incomingPromise).accept();
    const requests: PlayRequest[] = [];
    server.onStreamRequest({
      play: (request) => {
        requests.push(request);
        return { recorded: true };
      },
    });
    peer.send(encodeCommand({ name: 'createStream', transactionId: 2, commandObject: null, args: [] }, { streamId: 0 }));
    await until(() => peer.commands().some((c) => c.name === '_result' && c.transactionId === 2));
    expect(peer.commands().find((c) => c.transactionId === 2)!.args).toEqual([1]);
    const before = peer.received.length;
    peer.send(encodeCommand({ name: 'play', transactionId: 0, commandObject: null, args: ['movie', 0, -1, true] }, { streamId: 1 }), 8);
    await peer.waitFor((m) => m.type === DATA);
    const answer = peer.received.slice(before).map((m) => {
      if (m.type === 4) return decodeUserControl(m).kind;
      if (m.type === 20) return (decodeCommand(m).args[0] as { code: string }).code;
      return decodeData(m).name;
    });
    expect(answer).toEqual(['StreamIsRecorded', 'StreamBegin', 'NetStream.Play.Reset', 'NetStream.Play.Start', '|RtmpSampleAccess']);
    expect(peer.received.slice(before).every((m) => m.streamId === (m.type === 4 ? 0 : 1))).toBe(true);
    expect(requests[0]).toMatchObject({ name: 'movie', start: 0, duration: -1, reset: true, rawStart: 0 });
  });

  it('reads play start by its sign: FFmpeg -2000/-1000, librtmp ms, the spec -2/-1', async () => {
    const { client, server } = await connectPair();
    const starts: [number, number][] = [];
    server.onStreamRequest({ play: ({ start, rawStart }) => void starts.push([rawStart, start]) });
    for (const start of [-2, -1, 0, 1500]) {
      const stream = await client.createStream();
      await stream.play('x', { start });
    }
    // Our client sends FFmpeg's form: -2000 and -1000 for the live modes, ms otherwise.
    expect(starts).toEqual([[-2000, -2], [-1000, -1], [0, 0], [1500, 1500]]);
    expect([-2, -2000, -3000, -1, -1000, -1500, 0, 30000].map(normalizePlayStart)).toEqual([-2, -2, -2, -1, -1, -1, 0, 30000]);
    await client.close();
  });

  it('publish types record and append reach the handler; the client sends SetBufferLength when playing', async () => {
    const { client, server, clientChannel } = await connectPair();
    const types: string[] = [];
    const played: NetStream[] = [];
    server.onStreamRequest({ publish: ({ type }) => void types.push(type), play: ({ stream }) => void played.push(stream) });
    await (await client.createStream()).publish('a', 'record');
    await (await client.createStream()).publish('b', 'append');
    const player = await client.createStream();
    await player.play('c', { bufferLength: 1234 });
    expect(types).toEqual(['record', 'append']);
    await until(() => wireMessages(clientChannel).some((m) => m.type === 4));
    const bufferLength = wireMessages(clientChannel).filter((m) => m.type === 4).map((m) => decodeUserControl(m));
    expect(bufferLength).toContainEqual({ kind: 'SetBufferLength', streamId: player.id, bufferLength: 1234 });
    // The server's stream keeps what the player declared.
    await until(() => played[0]?.peerBufferLength !== undefined);
    expect(played[0]!.peerBufferLength).toBe(1234);
    expect(player.peerBufferLength).toBeUndefined(); // client side: not recorded
    await client.close();
  });

  it('answers releaseStream, FCPublish, FCUnpublish, FCSubscribe, getStreamLength and _checkbw as FFmpeg and OBS expect', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const incomingPromise = startServerSession(serverChannel);
    const peer = new RawPeer(clientChannel, 'client');
    await until(() => peer.handshakeDone);
    peer.send(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] }, { streamId: 0 }));
    const server = await (await incomingPromise).accept();
    server.onStreamRequest({ getStreamLength: (name) => (name === 'movie' ? 93.5 : 0) });
    const calls: [string, number, unknown[]][] = [
      ['releaseStream', 2, ['cam']],
      ['FCPublish', 3, ['cam']],
      ['FCUnpublish', 4, ['cam']],
      ['FCSubscribe', 5, ['cam']],
      ['getStreamLength', 6, ['movie']],
      ['_checkbw', 7, []],
    ];
    for (const [name, id, args] of calls) {
      peer.send(encodeCommand({ name, transactionId: id, commandObject: null, args: args as never }, { streamId: 0 }));
    }
    await until(() => peer.commands().some((c) => c.transactionId === 7) && peer.commands().some((c) => c.transactionId === 6));
    // getStreamLength asks the application (asynchronously), so its answer may come last.
    const answers = peer.commands().slice(1).filter((c) => c.transactionId !== 6).map((c) => [c.name, c.transactionId, c.args[0] === undefined ? null : (c.args[0] as { code?: string }).code ?? c.args[0]]);
    expect(answers).toEqual([
      ['_result', 2, null],
      ['_result', 3, null],
      ['onFCPublish', 0, 'NetStream.Publish.Start'],
      ['_result', 4, null],
      ['onFCUnpublish', 0, 'NetStream.Unpublish.Success'],
      ['_result', 5, null],
      ['onFCSubscribe', 0, 'NetStream.Play.Start'],
      ['_result', 7, null],
    ]);
    expect(peer.commands().find((c) => c.transactionId === 6)).toMatchObject({ name: '_result', commandObject: null, args: [93.5] });
  });

  it('pause, seek, receiveAudio and receiveVideo: statuses and what the server sends', async () => {
    const { client, server } = await connectPair();
    let serverStream: NetStream | undefined;
    const seeks: number[] = [];
    server.onStreamRequest({ play: ({ stream }) => void (serverStream = stream), seek: ({ positionMs }) => void seeks.push(positionMs) });
    const stream = await client.createStream();
    const statuses: string[] = [];
    stream.onStatus((info) => statuses.push(info.code));
    await stream.play('x');
    await take(stream, 1);
    await stream.pause(true, 1000);
    await until(() => statuses.includes('NetStream.Pause.Notify'));
    expect(serverStream!.paused).toBe(true);
    await stream.pause(false, 1000);
    await stream.seek(5000);
    await until(() => statuses.includes('NetStream.Seek.Notify'));
    expect(statuses).toEqual(['NetStream.Play.Start', 'NetStream.Pause.Notify', 'NetStream.Unpause.Notify', 'NetStream.Seek.Notify']);
    expect(seeks).toEqual([5000]);
    await stream.receiveAudio(false);
    await until(() => serverStream!.audioEnabled === false);
    await serverStream!.send({ type: AUDIO, timestamp: 1, payload: Buffer.from([0xaf, 1]) }); // dropped
    await serverStream!.send({ type: VIDEO, timestamp: 2, payload: Buffer.from([0x27, 1]) });
    const [next] = await take(stream, 1);
    expect(next!.type).toBe(VIDEO);
    await stream.receiveVideo(false);
    await until(() => serverStream!.videoEnabled === false);
    await client.close();
  });

  it('aggregate messages are split into their parts for the media iterator', async () => {
    const { client, server } = await connectPair();
    let publisherStream: NetStream | undefined;
    server.onStreamRequest({ publish: ({ stream }) => void (publisherStream = stream) });
    const stream = await client.createStream();
    await stream.publish('agg');
    const parts: RtmpMessage[] = [
      { type: VIDEO, streamId: 0, timestamp: 100, payload: pattern(300, 1) },
      { type: AUDIO, streamId: 0, timestamp: 110, payload: pattern(20, 2) },
      { type: VIDEO, streamId: 0, timestamp: 140, payload: pattern(200, 3) },
    ];
    const aggregate = buildAggregate(parts, { timestamp: 5000 });
    const received = take(publisherStream!, 3);
    await stream.send(aggregate);
    const got = await received;
    expect(got.map((m) => [m.type, m.timestamp, m.streamId])).toEqual([[VIDEO, 5000, 1], [AUDIO, 5010, 1], [VIDEO, 5040, 1]]);
    expect(got.map((m) => m.payload.toString('hex'))).toEqual(parts.map((m) => m.payload.toString('hex')));
    await client.close();
  });

  it('closeStream / deleteStream end the publisher\'s iterator and tell the application; close() ends streams both sides', async () => {
    const relay = new Relay();
    const client = await relay.connect();
    const stream = await client.createStream();
    await stream.publish('gone');
    const server = relay.sessions[0]!;
    const serverStream = server.streams.get(stream.id)!;
    expect(serverStream.mode).toBe('publishing');
    await stream.close();
    await serverStream.closed;
    expect(server.streams.size).toBe(0);
    expect(client.streams.size).toBe(0);
    expect(relay.ends).toMatchObject([{ name: 'gone', mode: 'publishing' }]);
    expect(relay.ends[0]!.error).toBeUndefined();

    const player = await client.createStream();
    await player.play('other');
    const serverPlayer = server.streams.get(player.id)!;
    const statuses: string[] = [];
    player.onStatus((info) => statuses.push(info.code));
    const ended = (async () => {
      let count = 0;
      for await (const _ of player) count++;
      return count;
    })();
    await serverPlayer.close(); // server ends the play: StreamEOF + Play.Stop
    expect(await ended).toBe(1); // |RtmpSampleAccess, then the end
    expect(statuses).toEqual(['NetStream.Play.Stop']);
    expect(player.mode).toBe('idle');
    await client.close();
  });

  it('fan-out: one shared encoding per chunk size serves many players, each gets the message', async () => {
    const players = await Promise.all([connectPair(), connectPair(), connectPair({ client: { chunkSize: 128 } })]);
    const serverStreams: NetStream[] = [];
    const clientStreams: NetStream[] = [];
    for (const { client, server } of players) {
      server.onStreamRequest({ play: ({ stream }) => void serverStreams.push(stream) });
      const stream = await client.createStream();
      await stream.play('live');
      await take(stream, 1);
      clientStreams.push(stream);
    }
    const message = { type: VIDEO, timestamp: 1000, payload: pattern(10_000, 9) };
    const shared = new Map<string, Buffer>();
    const received = clientStreams.map((stream) => take(stream, 1));
    await Promise.all(serverStreams.map((stream) => stream.send(message, { shared })));
    // The servers all send with chunk size 4096 on the same chunk stream and stream id: one encoding.
    expect(shared.size).toBe(1);
    for (const got of await Promise.all(received)) expect(got[0]!.payload.equals(message.payload)).toBe(true);
    // Later messages on those connections are encoded against what the shared bytes left behind.
    await serverStreams[0]!.send({ type: VIDEO, timestamp: 1040, payload: pattern(500, 10) });
    const [next] = await take(clientStreams[0]!, 1);
    expect(next!.timestamp).toBe(1040);
    for (const { client } of players) await client.close();
  });

  it('play2 goes to its handler (Play.Transition) or fails; pause without a handler is acknowledged', async () => {
    const [clientChannel, serverChannel] = createChannelPair();
    const incomingPromise = startServerSession(serverChannel);
    const peer = new RawPeer(clientChannel, 'client');
    await until(() => peer.handshakeDone);
    peer.send(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'vod' }, args: [] }, { streamId: 0 }));
    const server = await (await incomingPromise).accept();
    peer.send(encodeCommand({ name: 'createStream', transactionId: 2, commandObject: null, args: [] }, { streamId: 0 }));
    await until(() => server.streams.size === 1);
    const codes = () => peer.commands().filter((c) => c.name === 'onStatus').map((c) => (c.args[0] as { code: string }).code);
    peer.send(encodeCommand({ name: 'play2', transactionId: 0, commandObject: null, args: [{ streamName: 'hi', transition: 'switch' }] }, { streamId: 1 }), 8);
    await until(() => codes().length === 1);
    const options: unknown[] = [];
    server.onStreamRequest({ play2: ({ options: given }) => void options.push(given) });
    peer.send(encodeCommand({ name: 'play2', transactionId: 0, commandObject: null, args: [{ streamName: 'hi', transition: 'switch' }] }, { streamId: 1 }), 8);
    peer.send(encodeCommand({ name: 'pause', transactionId: 0, commandObject: null, args: [true, 10] }, { streamId: 1 }), 8);
    await until(() => codes().length === 3);
    expect(codes()).toEqual(['NetStream.Play.Failed', 'NetStream.Play.Transition', 'NetStream.Pause.Notify']);
    expect(options).toEqual([{ streamName: 'hi', transition: 'switch' }]);
  });

  it('createStream past maxStreams gets _error; the session stays up', async () => {
    const { client } = await connectPair({ server: { limits: { maxStreams: 2 } } });
    await client.createStream();
    await client.createStream();
    await expect(client.createStream()).rejects.toMatchObject({ name: 'CommandError', statusCode: 'NetConnection.Call.Failed' });
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('when the session fails, the application hears about each publish that ended, with the error', async () => {
    const { client, server, serverChannel } = await connectPair();
    const ends: StreamEndEvent[] = [];
    server.onStreamRequest({ publish: () => {}, play: () => {}, end: (event) => ends.push(event) });
    await (await client.createStream()).publish('cam');
    await (await client.createStream()).play('other');
    serverChannel.inject(Buffer.from([0xbf, 0, 0, 0])); // a fmt 2 header on a chunk stream never opened
    await server.closed;
    expect(server.closeError).toBeInstanceOf(Error);
    expect(ends.map((event) => [event.name, event.mode, event.error])).toEqual([
      ['cam', 'publishing', server.closeError],
      ['other', 'playing', server.closeError],
    ]);
    await client.closed;
  });
});
