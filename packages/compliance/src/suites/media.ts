import { decodeAmf0Values, type RtmpMessage } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { patternBytes, startServer, take, type RunningServer } from '../harness.js';
import { relayHandler } from '../relay.js';
import type { ComplianceSetup } from '../setup.js';

const AUDIO = 8;
const VIDEO = 9;
const DATA = 18;

function mediaSequence(count: number, seed: number, bigFrameBytes = 0): RtmpMessage[] {
  const messages: RtmpMessage[] = [];
  for (let i = 0; i < count; i++) {
    const timestamp = i * 40;
    const videoLength = i === 3 && bigFrameBytes > 0 ? bigFrameBytes : 200 + ((i * 131) % 5000);
    messages.push({ type: VIDEO, streamId: 0, timestamp, payload: patternBytes(videoLength, seed * 1000 + i) });
    messages.push({ type: AUDIO, streamId: 0, timestamp: timestamp + 10, payload: patternBytes(100 + (i % 7), seed * 1000 + 500 + i) });
  }
  return messages;
}

/** Media as a player sees it, without the `|RtmpSampleAccess` notice servers send on play. */
async function* mediaOf(stream: AsyncIterable<RtmpMessage>): AsyncGenerator<RtmpMessage> {
  for await (const message of stream) {
    if (message.type === DATA && decodeAmf0Values(message.payload)[0] === '|RtmpSampleAccess') continue;
    yield message;
  }
}

function summary(messages: RtmpMessage[]) {
  return messages.map((message) => ({ type: message.type, timestamp: message.timestamp, payload: message.payload.toString('base64') }));
}

/** Publish and play of audio, video and data; large messages; many streams on one connection. */
export function mediaSuite(setup: ComplianceSetup): void {
  describe('media', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('what one client publishes, another plays: metadata, video and audio, in order', async () => {
      server = await startServer(setup, relayHandler());
      const player = await server.connect();
      const playStream = await player.createStream();
      await playStream.play('cam');
      const publisher = await server.connect();
      const publishStream = await publisher.createStream();
      await publishStream.publish('cam');

      const sent = mediaSequence(12, 1);
      const received = take(mediaOf(playStream), 1 + sent.length);
      await publishStream.sendMetadata({ width: 640, height: 360, videocodecid: 7 });
      for (const message of sent) await publishStream.send(message);
      const [metadata, ...media] = await received;

      expect(metadata!.type).toBe(DATA);
      const values = decodeAmf0Values(metadata!.payload);
      expect(values[0]).toBe('onMetaData');
      expect(values[1]).toMatchObject({ width: 640, height: 360, videocodecid: 7 });
      expect(summary(media)).toEqual(summary(sent));
    });

    it('a message far larger than the chunk size arrives intact', async () => {
      server = await startServer(setup, relayHandler());
      const player = await server.connect();
      const playStream = await player.createStream();
      await playStream.play('big');
      const publisher = await server.connect();
      const publishStream = await publisher.createStream();
      await publishStream.publish('big');
      const sent = mediaSequence(6, 2, 1_000_000);
      const received = take(mediaOf(playStream), sent.length);
      for (const message of sent) await publishStream.send(message);
      expect(summary(await received)).toEqual(summary(sent));
    });

    it('many streams on one connection stay apart', async () => {
      server = await startServer(setup, relayHandler());
      const names = ['a', 'b', 'c', 'd'];
      const player = await server.connect();
      const playStreams = await Promise.all(names.map(() => player.createStream()));
      await Promise.all(playStreams.map((stream, i) => stream.play(names[i]!)));
      const publisher = await server.connect();
      const publishStreams = await Promise.all(names.map(() => publisher.createStream()));
      await Promise.all(publishStreams.map((stream, i) => stream.publish(names[i]!)));
      expect(new Set(publishStreams.map((stream) => stream.id)).size).toBe(names.length);

      const sent = names.map((_, i) => mediaSequence(5, 10 + i));
      const received = playStreams.map((stream, i) => take(mediaOf(stream), sent[i]!.length));
      // Interleave the streams' messages on the one connection.
      for (let k = 0; k < sent[0]!.length; k++) {
        await Promise.all(publishStreams.map((stream, i) => stream.send(sent[i]![k]!)));
      }
      for (let i = 0; i < names.length; i++) expect(summary(await received[i]!)).toEqual(summary(sent[i]!));
    });

    it('publish to a name and play a name each resolve on their Start status', async () => {
      server = await startServer(setup, relayHandler());
      const client = await server.connect();
      const stream = await client.createStream();
      const statuses: string[] = [];
      stream.onStatus((info) => statuses.push(info.code));
      await stream.publish('status-check');
      expect(statuses).toContain('NetStream.Publish.Start');
    });

    it('a refused publish rejects with the status the server chose', async () => {
      server = await startServer(setup, async (incoming) => {
        const session = await incoming.accept();
        session.onStreamRequest({
          publish() {
            throw new Error('publishing is closed today');
          },
        });
        return session;
      });
      const client = await server.connect();
      const stream = await client.createStream();
      await expect(stream.publish('x')).rejects.toThrow();
      expect(client.state).toBe('connected');
    });
  });
}
