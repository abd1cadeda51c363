import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingSession, Listener } from '@rtmpkit/core';
import { describeWithPeers, findPeer, makeTestFlv, peerPath, runPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rtmpte } from '../src/index.js';
import { type FileTag, readFlvFileTags } from './helpers/flv-file.js';

/** The codecs ffprobe finds in an FLV file, by stream type; undefined when ffprobe is not installed. */
async function probeCodecs(path: string): Promise<Record<string, string> | undefined> {
  const ffprobe = findPeer('ffprobe');
  if (!ffprobe) return undefined;
  const run = await runPeer(ffprobe, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', path], { timeoutMs: 15_000 });
  expect(run.code, run.stderr).toBe(0);
  const { streams } = JSON.parse(run.stdout) as { streams: { codec_type: string; codec_name: string }[] };
  return Object.fromEntries(streams.map((stream) => [stream.codec_type, stream.codec_name]));
}

const mediaTags = (tags: FileTag[]) => tags.filter((tag) => tag.type === 8 || tag.type === 9);

// makeTestFlv needs ffmpeg to make the H.264 + AAC file we serve.
describeWithPeers('RTMPTE interop: rtmpdump plays a live stream from our server', ['rtmpdump', 'ffmpeg'], () => {
  let source: FileTag[];
  let listener: Listener;
  let dir: string;
  const seen: IncomingSession[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    source = readFlvFileTags(await makeTestFlv({ seconds: 2 }));
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-rtmpte-'));
    // The combined server: RTMPTE, and plain RTMPT on the same port.
    listener = await rtmpte({ server: { acceptPlain: true }, onConnectionError: (error) => errors.push(error) }).listen({ host: '127.0.0.1', port: 0 });
    void (async () => {
      for await (const incoming of listener) {
        seen.push(incoming);
        const session = await incoming.accept();
        session.onStreamRequest({
          play({ stream }) {
            // After the handler returns the session sends Play.Start; the tags of the file follow it.
            setImmediate(async () => {
              for (const tag of source) await stream.send(tag);
              await stream.sendStatus({ level: 'status', code: 'NetStream.Play.Stop', description: 'end of the test file' });
            });
          },
        });
      }
    })();
  }, 60_000);

  afterAll(async () => {
    await listener?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `timeout 8 rtmpdump -V --live -r <url> -o <file>`; returns the run and the tags of the file it wrote. */
  async function play(scheme: 'rtmpte' | 'rtmpt') {
    const out = join(dir, `${scheme}.flv`);
    const url = `${scheme}://127.0.0.1:${listener.address.port}/live/x`;
    const run = await runPeer('timeout', ['8', peerPath('rtmpdump'), '-V', '--live', '-r', url, '-o', out], { timeoutMs: 15_000 });
    return { run, out, tags: readFlvFileTags(out) };
  }

  /**
   * rtmpdump stopped because of our NetStream.Play.Stop, not the 8 s `timeout` (124) or a failure
   * (1). It exits 2 ("may be incomplete") when the last timestamp falls short of onMetaData's
   * duration, as it does here by one frame.
   */
  function expectEndedByPlayStop(run: { code: number | null; stderr: string }) {
    expect(run.stderr).toMatch(/Got Play\.Complete or Play\.Stop from server/);
    expect([0, 2], run.stderr.slice(-2000)).toContain(run.code);
  }

  /** What rtmpdump wrote is every audio and video tag we sent (as librtmp keeps them), byte for byte, and ffprobe sees H.264 and AAC. */
  async function expectTheWholeStream(out: string, tags: FileTag[]) {
    // librtmp drops video messages of 5 bytes or less: here, the AVC end-of-sequence tag at the end.
    const sent = mediaTags(source).filter((tag) => tag.type === 8 || tag.payload.length > 5);
    expect(mediaTags(source).length - sent.length).toBeLessThanOrEqual(1);
    expect(sent.some((tag) => tag.type === 8) && sent.some((tag) => tag.type === 9)).toBe(true);
    const got = mediaTags(tags);
    expect(got.map((tag) => [tag.type, tag.timestamp])).toEqual(sent.map((tag) => [tag.type, tag.timestamp]));
    got.forEach((tag, index) => expect(tag.payload.equals(sent[index]!.payload), `tag ${index}`).toBe(true));
    const codecs = await probeCodecs(out);
    if (codecs) expect(codecs).toEqual({ video: 'h264', audio: 'aac' });
  }

  it('over rtmpte://: the RTMPE handshake inside the tunnel (type 8), then every tag through RC4', async () => {
    const { run, out, tags } = await play('rtmpte');
    expect(run.stderr).toMatch(/Type Answer\s*: 08/);
    expect(run.stderr).toMatch(/Genuine Adobe Flash Media Server/);
    expectEndedByPlayStop(run);
    expect(seen.at(-1)?.scheme).toBe('rtmpte');
    expect(seen.at(-1)?.connectInfo).toMatchObject({ app: 'live', tcUrl: `rtmpte://127.0.0.1:${listener.address.port}/live` });
    await expectTheWholeStream(out, tags);
    expect(errors).toEqual([]);
  }, 30_000);

  it('over rtmpt:// on the same port: a plain RTMPT session, unencrypted', async () => {
    const { run, out, tags } = await play('rtmpt');
    expect(run.stderr).toMatch(/Type Answer\s*: 03/);
    expectEndedByPlayStop(run);
    expect(seen.at(-1)?.scheme).toBe('rtmpt');
    expect(seen.at(-1)?.connectInfo).toMatchObject({ app: 'live', tcUrl: `rtmpt://127.0.0.1:${listener.address.port}/live` });
    await expectTheWholeStream(out, tags);
    expect(errors).toEqual([]);
  }, 30_000);
});
