import { afterEach, describe, expect, it } from 'vitest';
import { publish, type Publisher } from './helpers/clients.js';
import { RawPlayer } from './helpers/raw-player.js';
import { audioHeader, videoFrame, videoHeader } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
  await server?.close();
  server = undefined;
});

/** A live stream with headers and a first keyframe, and a raw player on it that got that keyframe. */
async function playingStream(coalesceMs: number): Promise<{ publisher: Publisher; player: RawPlayer; reads: Array<{ at: number; bytes: number }> }> {
  server = await startTestServer({ player: { coalesceMs } });
  const publisher = await publish(server.url('live'), 'cam');
  cleanup.push(() => publisher.session.close());
  for (const frame of [videoHeader(), audioHeader(), videoFrame(0, true, 200, 0)]) await publisher.stream.send(frame);
  await until(() => server!.server.streams().some((stream) => stream.name === 'cam' && stream.gop.messages > 0), 'the keyframe in the GOP cache');
  const player = await RawPlayer.play(server.port, 'live', 'cam');
  cleanup.push(() => player.destroy());
  // The start is never held: the cached keyframe arrives at once.
  await player.waitFor(() => player.videoCount >= 2, 1000);
  const reads: Array<{ at: number; bytes: number }> = [];
  player.socket.on('data', (bytes: Buffer) => reads.push({ at: Date.now(), bytes: bytes.length }));
  return { publisher, player, reads };
}

describe('coalesced writes to players (player.coalesceMs)', () => {
  it('writes a burst of frames to a player in one go, after at most coalesceMs', async () => {
    const { publisher, player, reads } = await playingStream(400);
    const sentAt = Date.now();
    for (let i = 1; i <= 10; i++) await publisher.stream.send(videoFrame(i * 10, false, 100, i));
    await player.waitFor(() => player.videoCount >= 12, 3000);
    const arrival = reads[reads.length - 1]!.at - sentAt;
    expect(reads).toHaveLength(1); // ten messages, one write, one read
    expect(arrival).toBeGreaterThanOrEqual(300);
    expect(player.frames.slice(-10).map((frame) => frame.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('holds media at most a quarter of the buffer the player declared (SetBufferLength)', async () => {
    const { publisher, player, reads } = await playingStream(1000);
    player.setBufferLength(200); // at most 50 ms held, where coalesceMs alone would allow 1000
    await until(() => server!.server.sessions().length > 0, 'the session');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the event reached the server
    const sentAt = Date.now();
    for (let i = 1; i <= 5; i++) await publisher.stream.send(videoFrame(i * 10, false, 100, i));
    await player.waitFor(() => player.videoCount >= 7, 3000);
    expect(reads[reads.length - 1]!.at - sentAt).toBeLessThan(500);
  });

  it('with coalesceMs 0 writes each frame at once', async () => {
    const { publisher, player, reads } = await playingStream(0);
    const sentAt = Date.now();
    await publisher.stream.send(videoFrame(10, false, 100, 1));
    await player.waitFor(() => player.videoCount >= 3, 3000);
    expect(reads[0]!.at - sentAt).toBeLessThan(300);
  });

  it('never holds a status message: UnpublishNotify comes at once, after the frames held before it', async () => {
    const { publisher, player } = await playingStream(1000);
    for (let i = 1; i <= 3; i++) await publisher.stream.send(videoFrame(i * 10, false, 100, i));
    const closedAt = Date.now();
    await publisher.stream.close();
    await player.waitFor(() => player.events().includes('status:NetStream.Play.UnpublishNotify'), 3000);
    expect(Date.now() - closedAt).toBeLessThan(700);
    expect(player.frames.slice(-3).map((frame) => frame.index)).toEqual([1, 2, 3]);
  });
});
