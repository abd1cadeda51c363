import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexFlvFile, readFlvFile } from '@rtmpkit/flv';
import { rtmp } from '@rtmpkit/rtmp';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../src/index.js';
import { recorder, RecorderSink, timestampedName, type RecordingSummary } from '../src/record/index.js';
import { publish, sendFrames, type Publisher } from './helpers/clients.js';
import { audioFrame, syntheticStream, videoFrame, videoHeader, type Frame } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

let dir: string | undefined;
let server: TestServer | undefined;
const publishers: Publisher[] = [];

afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.session.close().catch(() => {})));
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const live = (frame: Frame, keyframe = false, header = false): LiveMessage => ({ ...frame, keyframe, header, shared: new Map() });

describe('recorder sink', () => {
  it('past maxPendingBytes leaves frames out until the next key frame, never the headers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-record-sink-'));
    const path = join(dir, 'a', 'b.flv');
    const ended: Array<{ reason: string; error?: unknown }> = [];
    const sink = new RecorderSink({ path, mode: 'write', maxPendingBytes: 1000, onEnd: (outcome) => ended.push(outcome) });
    // Before the file is open everything waits in memory: 1000 bytes at most.
    sink.write(live(videoHeader(0), false, true));
    sink.write(live(videoFrame(0, true, 400, 0), true));
    sink.write(live(videoFrame(40, false, 400, 1)));
    sink.write(live(videoFrame(80, false, 400, 2))); // over: left out
    sink.write(live(audioFrame(80, 300))); // still over: left out
    sink.start();
    await until(() => sink.stats().queuedBytes === 0, 'the first writes');
    sink.write(live(videoFrame(120, false, 100, 3))); // room again, but video waits for a key frame
    sink.write(live(audioFrame(120, 10)));
    sink.write(live(videoFrame(160, true, 100, 4), true));
    await sink.end('test');
    expect(ended).toEqual([{ reason: 'test', summary: expect.objectContaining({ path, tagsWritten: 5 }) }]);
    expect(sink.stats()).toMatchObject({ dropped: 3, queuedBytes: 0 });
    const tags: number[][] = [];
    for await (const tag of readFlvFile(path)) tags.push([tag.type, tag.timestamp]);
    expect(tags).toEqual([[9, 0], [9, 0], [9, 40], [8, 120], [9, 160]]);
  });

  it('names record-all files <name>-<UTC date-time-ms>', () => {
    expect(timestampedName({ name: 'cam', startedAt: new Date(Date.UTC(2026, 0, 5, 14, 30, 0, 250)) })).toBe('cam-20260105-143000-250');
  });
});

describe('recorder plugin', () => {
  it('a takeover ends the first recording; the second waits for the file to be closed, then replaces it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-record-takeover-'));
    const recorded: RecordingSummary[] = [];
    server = await startTestServer({ live: { takeover: true }, plugins: [recorder({ recordDir: dir, onRecorded: (s) => recorded.push(s) })] });
    const first = await publish(server.url('live'), 'show');
    publishers.push(first);
    // The helper publishes as 'live': record-all is off, so nothing is recorded for it.
    await sendFrames(first.stream, syntheticStream({ frames: 10 }), Infinity);
    expect(server.server.live.get('live', 'show')?.info().sinks.recorder).toBeUndefined();
    await first.session.close();

    const publishRecord = async (fill: number) => {
      const session = await rtmp().connect(server!.url('live'));
      const stream = await session.createStream();
      await stream.publish('show', 'record');
      publishers.push({ session, stream, statuses: [], connectionStatuses: [] });
      const frames = syntheticStream({ frames: 50 }).map((f) => (f.type === 9 && f.payload[1] === 1 ? { ...f, payload: Buffer.concat([f.payload.subarray(0, -1), Buffer.from([fill])]) } : f));
      await sendFrames(stream, frames, Infinity);
      return session;
    };
    await publishRecord(0xa1);
    await until(() => (server!.server.live.get('live', 'show')?.info().sinks.recorder ?? 0) === 1, 'the first recording');
    await publishRecord(0xb2); // takes over
    await until(() => recorded.length === 1, 'the first recording to end');
    expect(recorded[0]).toMatchObject({ reason: 'takeover', kind: 'record' });
    await Promise.all(publishers.splice(0).map((p) => p.session.close()));
    await until(() => recorded.length === 2, 'the second recording to end');
    expect(recorded[1]).toMatchObject({ reason: 'unpublished', kind: 'record', path: join(dir, 'live', 'show.flv') });
    const index = await indexFlvFile(join(dir, 'live', 'show.flv'));
    expect(index.truncation).toBeUndefined();
    const fills = new Set<number>();
    for await (const tag of readFlvFile(join(dir, 'live', 'show.flv'))) if (tag.type === 9 && tag.payload[1] === 1) fills.add(tag.payload.at(-1)!);
    expect([...fills]).toEqual([0xb2]); // only the second publisher's frames
  });
});
