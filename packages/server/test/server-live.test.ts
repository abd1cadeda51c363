import { StreamRejectedError, decodeData } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../src/index.js';
import { play, publish, sendFrames, type Player, type Publisher } from './helpers/clients.js';
import { RawPlayer } from './helpers/raw-player.js';
import { frameIndexOf, isKeyframePayload, isVideoHeaderPayload, syntheticStream, videoFrame } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
const opened: Array<{ session: { close(): Promise<void> } }> = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.session.close().catch(() => {})));
  await server?.close();
  server = undefined;
});

async function publisherOf(name: string, app = 'live'): Promise<Publisher> {
  const client = await publish(server!.url(app), name);
  opened.push(client);
  return client;
}

async function playerOf(name: string, app = 'live'): Promise<Player> {
  const client = await play(server!.url(app), name);
  opened.push(client);
  return client;
}

const dataName = (payload: Buffer) => decodeData({ type: 18, timestamp: 0, streamId: 0, payload }).name;

describe('live streams through the server (our own client both ways)', () => {
  it('fans every frame out, in order, to every player', async () => {
    server = await startTestServer();
    const players = [await playerOf('a'), await playerOf('a'), await playerOf('a')];
    // A probe next to the players keeps each message's fan-out cache to look at afterwards.
    const seen: LiveMessage[] = [];
    server.server.live.subscribe('live', 'a', { kind: 'probe', write: (message) => void seen.push(message), close: () => {} });
    const publisher = await publisherOf('a');
    const frames = syntheticStream({ frames: 50, gop: 25 });
    await sendFrames(publisher.stream, frames, Infinity);
    const media = frames.filter((frame) => frame.type === 8 || frame.type === 9);
    for (const player of players) {
      await player.waitFor((p) => p.messages.filter((m) => m.type !== 18).length >= media.length, 'every frame');
      const got = player.messages.filter((m) => m.type === 8 || m.type === 9);
      expect(got.map((m) => [m.type, m.timestamp])).toEqual(media.map((m) => [m.type, m.timestamp]));
      expect(got.every((m, i) => m.payload.equals(media[i]!.payload))).toBe(true);
      // onMetaData arrives unwrapped (the publisher sent @setDataFrame), then the sequence headers.
      expect(player.messages[0]!.type).toBe(18);
      expect(dataName(player.messages[0]!.payload)).toBe('onMetaData');
      expect(player.statuses.map((s) => s.code)).toContain('NetStream.Play.PublishNotify');
    }
    // Encoded once for the three players (same chunk size and stream id): one entry per message.
    const mediaSeen = seen.filter((message) => message.type === 8 || message.type === 9);
    expect(mediaSeen).toHaveLength(media.length);
    expect(mediaSeen.every((message) => message.shared.size === 1)).toBe(true);
    // The key packs (stream id, chunk stream id, chunk size): stream 1, chunk size 4096.
    const key = [...mediaSeen[0]!.shared.keys()][0] as number;
    expect(key % 0x1000000).toBe(4096);
    expect(Math.floor(key / 0x10000000000)).toBe(1);
  });

  it('starts a late player on the cached keyframe, after metadata and sequence headers', async () => {
    server = await startTestServer();
    const publisher = await publisherOf('a');
    const frames = syntheticStream({ frames: 40, gop: 25 }); // keyframes at 0 and 25 (1000 ms)
    await sendFrames(publisher.stream, frames, Infinity);
    await until(() => server!.server.streams()[0]?.gop.messages !== undefined && server!.server.streams()[0]!.gop.messages > 0, 'a GOP');
    const joinedAt = Date.now();
    const late = await playerOf('a');
    await late.waitFor((p) => p.video().some((m) => isKeyframePayload(m.payload)), 'a keyframe');
    const timeToKeyframe = late.video().find((m) => isKeyframePayload(m.payload))!.at - joinedAt;
    expect(dataName(late.messages[0]!.payload)).toBe('onMetaData');
    const video = late.video();
    expect(isVideoHeaderPayload(video[0]!.payload)).toBe(true);
    // The first frame after the header is the cached keyframe of frame 25, not the next one to come.
    expect(isKeyframePayload(video[1]!.payload)).toBe(true);
    expect(frameIndexOf(video[1]!.payload)).toBe(25);
    expect(video[1]!.timestamp).toBe(1000);
    expect(late.messages.some((m) => m.type === 8 && m.payload[1] === 0)).toBe(true); // AAC header
    await late.waitFor((p) => p.video().length >= 16, 'the rest of the GOP');
    expect(late.video().slice(1, 16).map((m) => frameIndexOf(m.payload))).toEqual([...Array(15).keys()].map((i) => 25 + i));
    // Nothing had to be waited for: the replay is immediate (the bound is generous, not a benchmark).
    expect(timeToKeyframe).toBeLessThan(1000);
  });

  it('refuses a second publisher of the same name with NetStream.Publish.BadName; the first goes on', async () => {
    server = await startTestServer();
    const first = await publisherOf('a');
    const player = await playerOf('a');
    const attempt = publisherOf('a');
    await expect(attempt).rejects.toBeInstanceOf(StreamRejectedError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 'NetStream.Publish.BadName' });
    await sendFrames(first.stream, [videoFrame(0, true)], Infinity);
    await player.waitFor((p) => p.video().length === 1, 'the first publisher’s frame');
    expect(server.server.stats().counters.deniedPublishes).toBe(1);
  });

  it('with takeover, the new publisher replaces the old one (closed); players stay, with monotonic timestamps', async () => {
    server = await startTestServer({ live: { takeover: true } });
    const old = await publisherOf('a');
    const player = await playerOf('a');
    await sendFrames(old.stream, syntheticStream({ frames: 30, audio: false }), Infinity);
    await player.waitFor((p) => p.video().length >= 31, 'the old publisher’s frames');
    const fresh = await publisherOf('a');
    await old.session.closed; // the server closed the old publisher
    expect(old.statuses.map((s) => s.code)).toContain('NetStream.Unpublish.Success');
    await sendFrames(fresh.stream, syntheticStream({ frames: 10, audio: false }), Infinity);
    await player.waitFor((p) => p.video().length >= 31 + 11, 'the new publisher’s frames');
    expect(player.statuses.map((s) => s.code)).not.toContain('NetStream.Play.UnpublishNotify');
    const timestamps = player.video().map((m) => m.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    expect(player.session.state).toBe('connected');
    expect(server.server.stats().counters.takeovers).toBe(1);
  });

  it('sends UnpublishNotify when the publisher leaves, keeps the player, and PublishNotify + fresh headers when it comes back', async () => {
    server = await startTestServer();
    const player = await playerOf('a');
    const first = await publisherOf('a');
    await sendFrames(first.stream, syntheticStream({ frames: 5 }), Infinity);
    await player.waitFor((p) => p.video().length >= 6, 'the first publish');
    await first.stream.close();
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.UnpublishNotify'), 'UnpublishNotify');
    const before = player.messages.length;
    const second = await publisherOf('a');
    await sendFrames(second.stream, syntheticStream({ frames: 5 }), Infinity);
    await player.waitFor((p) => p.messages.length >= before + 8, 'the second publish');
    const codes = player.statuses.map((s) => s.code);
    expect(codes.filter((code) => code === 'NetStream.Play.PublishNotify')).toHaveLength(2);
    const notify = player.statuses.filter((s) => s.code === 'NetStream.Play.PublishNotify')[1]!;
    expect(notify.after).toBe(before);
    const after = player.messages.slice(before);
    expect(dataName(after[0]!.payload)).toBe('onMetaData');
    expect(isVideoHeaderPayload(after.find((m) => m.type === 9)!.payload)).toBe(true);
    expect(player.session.state).toBe('connected');
  });

  it('puts UnpublishNotify + StreamEOF, then StreamBegin + PublishNotify on the wire, in order', async () => {
    server = await startTestServer();
    const raw = await RawPlayer.play(server.port, 'live', 'u');
    opened.push({ session: { close: async () => raw.destroy() } });
    const first = await publisherOf('u');
    // closeStream right behind the frames: every frame still reaches the player before UnpublishNotify.
    await sendFrames(first.stream, syntheticStream({ frames: 2 }), Infinity);
    await first.stream.close();
    await raw.waitFor(() => raw.events().includes('status:NetStream.Play.UnpublishNotify'), 5000);
    expect(raw.videoCount).toBe(3);
    const second = await publisherOf('u');
    await sendFrames(second.stream, syntheticStream({ frames: 2 }), Infinity);
    await raw.waitFor(() => raw.events().filter((e) => e === 'status:NetStream.Play.PublishNotify').length === 2, 5000);
    await raw.waitFor(() => raw.videoCount >= 6, 5000);
    expect(raw.videoCount).toBe(6);
    const events = raw.events();
    const after = events.slice(events.indexOf('status:NetStream.Play.Start'));
    // User Control 0 = StreamBegin, 1 = StreamEOF.
    expect(after).toEqual([
      'status:NetStream.Play.Start',
      'user-control:0',
      'status:NetStream.Play.PublishNotify',
      'status:NetStream.Play.UnpublishNotify',
      'user-control:1',
      'user-control:0',
      'status:NetStream.Play.PublishNotify',
    ]);
  });

  it('lets a player wait for a name nobody publishes yet (live, start -1 and -2)', async () => {
    server = await startTestServer();
    const waitingDefault = await playerOf('later');
    const liveOnly = await play(server.url('live'), 'later', { start: -1 });
    opened.push(liveOnly);
    expect(server.server.streams({ all: true })).toMatchObject([{ name: 'later', live: false, players: 2 }]);
    const publisher = await publisherOf('later');
    await sendFrames(publisher.stream, syntheticStream({ frames: 3 }), Infinity);
    for (const player of [waitingDefault, liveOnly]) {
      await player.waitFor((p) => p.video().length >= 4, 'frames after the wait');
      expect(player.statuses.map((s) => s.code)).toEqual(['NetStream.Play.Start', 'NetStream.Play.PublishNotify']);
    }
  });

  it('answers a recorded play nobody serves with NetStream.Play.StreamNotFound', async () => {
    server = await startTestServer();
    await expect(play(server.url('live'), 'file', { start: 0 })).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
  });

  it('closes a publisher that sends no media for idlePublisherTimeoutMs; players hear UnpublishNotify', async () => {
    server = await startTestServer({ live: { idlePublisherTimeoutMs: 300 } });
    const player = await playerOf('a');
    const publisher = await publisherOf('a');
    await sendFrames(publisher.stream, [videoFrame(0, true)], Infinity);
    await publisher.session.closed;
    expect(publisher.statuses.map((s) => s.code)).toContain('NetStream.Publish.Idle');
    await player.waitFor((p) => p.statuses.some((s) => s.code === 'NetStream.Play.UnpublishNotify'), 'UnpublishNotify');
    expect(server.server.stats().counters.idlePublishers).toBe(1);
  });

  it('reports streams, sessions, counters and events', async () => {
    server = await startTestServer();
    const events: string[] = [];
    for (const name of ['connect', 'publish', 'play', 'unpublish', 'playStop', 'disconnect'] as const) {
      server.server.on(name, (event) => events.push(`${name}${'type' in event ? `:${event.type}` : ''}${'source' in event ? `:${event.source}` : ''}`));
    }
    const publisher = await publisherOf('a');
    const player = await playerOf('a');
    await sendFrames(publisher.stream, syntheticStream({ frames: 30 }), Infinity);
    await player.waitFor((p) => p.video().length >= 31, 'the frames');
    const stats = server.server.stats();
    expect(stats.streams).toHaveLength(1);
    expect(stats.streams[0]).toMatchObject({
      app: 'live',
      name: 'a',
      live: true,
      publisher: { scheme: 'rtmp', remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
      video: { codec: 'h264', width: 320, height: 240 },
      audio: { codec: 'aac' },
      players: 1,
    });
    expect(stats.streams[0]!.bitrate).toBeGreaterThan(0);
    expect(stats.streams[0]!.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(stats.streams[0]!.bytesOut).toBeGreaterThan(0);
    const publisherSession = stats.sessions.find((s) => s.publishing.includes('a'))!;
    const playerSession = stats.sessions.find((s) => s.playing.some((p) => p.name === 'a'))!;
    expect(publisherSession).toMatchObject({ scheme: 'rtmp', app: 'live' });
    expect(publisherSession.mediaBytesIn).toBe(stats.streams[0]!.bytesIn);
    expect(playerSession.mediaBytesOut).toBe(stats.streams[0]!.bytesOut);
    // Wire bytes include headers, commands and the handshake: more than the media alone.
    expect(publisherSession.bytesIn).toBeGreaterThan(publisherSession.mediaBytesIn + 3073);
    expect(playerSession.bytesOut).toBeGreaterThan(playerSession.mediaBytesOut + 3073);
    expect(stats.counters).toMatchObject({ connections: 2, publishes: 1, plays: 1, rejectedConnections: 0 });
    await publisher.stream.close();
    await player.close();
    await until(() => events.includes('disconnect'), 'a disconnect');
    expect(events.slice(0, 4)).toEqual(['connect', 'publish:live', 'connect', 'play:live']);
    expect(events).toContain('unpublish');
    expect(events).toContain('playStop:live');
  });
});
