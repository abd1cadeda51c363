import { connect as tcpConnect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { decodeData } from '@rtmpkit/core';
import { FlvReader } from '@rtmpkit/flv';
import { rtmp } from '@rtmpkit/rtmp';
import { describeWithPeers, makeTestFlv, peerPath, runPeer, type RunningPeer } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, http, ServerListenError, type HttpPlugin, type RtmpServer } from '../src/index.js';
import { publish, sendFrames } from './helpers/clients.js';
import { ffmpegPublish, ffprobe } from './helpers/peers.js';
import { syntheticStream } from './helpers/synthetic.js';
import { until } from './helpers/test-server.js';

/** Reads an HTTP-FLV response until `enough(tags)` or `timeoutMs`, then aborts it. */
async function readFlv(url: string, enough: (tags: Array<{ type: number; timestamp: number; payload: Buffer }>) => boolean, timeoutMs = 10_000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const response = await fetch(url, { signal: abort.signal });
  const tags: Array<{ type: number; timestamp: number; payload: Buffer }> = [];
  const reader = new FlvReader();
  let ended = false;
  let signature = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!signature) signature = Buffer.from(chunk).toString('latin1', 0, 3);
      reader.push(Buffer.from(chunk), (tag) => tags.push({ type: tag.type, timestamp: tag.timestamp, payload: Buffer.from(tag.payload) }));
      if (enough(tags)) break;
    }
    ended = !enough(tags);
  } catch {
    // aborted by the timer: the assertions look at what arrived
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { response, tags, signature, ended };
}

function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeWithPeers('http plugin: HTTP-FLV, JSON API, metrics and RTMPT on one port (ffmpeg publishes, ffprobe plays)', ['ffmpeg', 'ffprobe', 'rtmpdump'], () => {
  let server: RtmpServer;
  let web: HttpPlugin;
  /** A second HTTP port with tight player limits, for the slow-client test. */
  let tight: HttpPlugin;
  let rtmpPort: number;
  let base: string;
  let file: string;
  let shortFile: string;
  const publishers: RunningPeer[] = [];
  const sockets: Socket[] = [];
  /** The scheme of every connection the server accepted. */
  const schemes: string[] = [];

  const waitLive = (name: string, timeoutMs = 15_000) =>
    until(() => server.streams().some((s) => s.name === name && s.gop.messages > 0 && s.video?.width !== undefined), `${name} to be live`, timeoutMs);

  beforeAll(async () => {
    [file, shortFile] = await Promise.all([makeTestFlv({ seconds: 10, width: 640, height: 360, gop: 25 }), makeTestFlv({ seconds: 3 })]);
    web = http({ host: '127.0.0.1', port: 0 });
    tight = http({ host: '127.0.0.1', port: 0, tunnel: false, player: { maxBytes: 64 * 1024, disconnectBytes: 256 * 1024, disconnectAfterMs: 1500 } });
    server = createServer({
      transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } }, ...web.transports],
      plugins: [web, tight],
      shutdownTimeoutMs: 3000,
    });
    server.on('connect', ({ session }) => schemes.push(session.scheme));
    await server.start();
    rtmpPort = server.addresses.find((a) => a.scheme === 'rtmp')!.port;
    base = `http://127.0.0.1:${web.address!.port}`;
    publishers.push(ffmpegPublish(file, `rtmp://127.0.0.1:${rtmpPort}/live/x`, { loop: true }));
    await waitLive('x');
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(publishers.map((peer) => peer.stop()));
    await server?.close();
  });

  it('ffprobe reads h264 640x360 and aac from GET /live/x.flv', async () => {
    const probe = await ffprobe(`${base}/live/x.flv`);
    expect(probe.run.code, probe.run.stderr).toBe(0);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(probe.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('an FLV response starts with the header, onMetaData, both sequence headers, then a keyframe at 0, with CORS', async () => {
    const { response, tags, signature } = await readFlv(`${base}/live/x.flv`, (t) => t.filter((tag) => tag.type === 9).length >= 10);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/x-flv');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(signature).toBe('FLV');
    expect(decodeData({ type: 18, timestamp: 0, streamId: 0, payload: tags[0]!.payload }).name).toBe('onMetaData');
    const video = tags.filter((tag) => tag.type === 9);
    expect(video[0]!.payload.subarray(0, 2)).toEqual(Buffer.from([0x17, 0x00])); // AVC sequence header
    expect(video[1]!.payload.subarray(0, 2)).toEqual(Buffer.from([0x17, 0x01])); // keyframe
    expect(video[1]!.timestamp).toBe(0);
    expect(tags.find((tag) => tag.type === 8)!.payload[1]).toBe(0); // AAC sequence header first
    for (let i = 2; i < video.length; i++) expect(video[i]!.timestamp).toBeGreaterThanOrEqual(video[i - 1]!.timestamp);
  });

  it('a stream nobody publishes gets 404 with a hint; other paths 404; OPTIONS is a CORS preflight', async () => {
    const missing = await fetch(`${base}/live/nobody.flv`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/No live stream live\/nobody: nobody publishes it/);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    const preflight = await fetch(`${base}/api/streams`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect((await fetch(`${base}/api/streams`, { method: 'DELETE' })).status).toBe(405);
  });

  it('GET /api/streams lists the stream with codecs, width and height; /api/server and /api/sessions answer', async () => {
    const { streams } = (await (await fetch(`${base}/api/streams`)).json()) as { streams: Array<Record<string, any>> };
    const x = streams.find((s) => s.app === 'live' && s.name === 'x');
    expect(x).toMatchObject({ live: true, flv: '/live/x.flv', video: { codec: 'h264', width: 640, height: 360 }, audio: { codec: 'aac' } });
    expect(x!.bitrate).toBeGreaterThan(0);
    const one = (await (await fetch(`${base}/api/streams/live/x`)).json()) as Record<string, any>;
    expect(one.name).toBe('x');
    expect((await fetch(`${base}/api/streams/live/nobody`)).status).toBe(404);

    const about = (await (await fetch(`${base}/api/server`)).json()) as Record<string, any>;
    expect(about).toMatchObject({ name: 'rtmpkit', state: 'running', streams: 1 });
    expect(about.counters.publishes).toBeGreaterThanOrEqual(1);
    const schemes = (about.listeners as Array<{ scheme: string; port: number }>).map((l) => `${l.scheme}:${l.port}`);
    expect(schemes).toEqual(expect.arrayContaining([`rtmp:${rtmpPort}`, `rtmpt:${web.address!.port}`, `rtmpte:${web.address!.port}`]));

    const { sessions } = (await (await fetch(`${base}/api/sessions`)).json()) as { sessions: Array<Record<string, any>> };
    expect(sessions.find((s) => (s.publishing as string[]).includes('x'))).toMatchObject({ scheme: 'rtmp', app: 'live' });
  });

  it('GET /metrics has the Prometheus counters and gauges, HTTP-FLV bytes included', async () => {
    await readFlv(`${base}/live/x.flv`, (t) => t.length >= 30);
    await until(() => web.players.size === 0, 'the HTTP-FLV player to be gone');
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metricValue(text, 'rtmpkit_streams')).toBe(1);
    expect(metricValue(text, 'rtmpkit_publishes_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'rtmpkit_connections_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'rtmpkit_sessions{scheme="rtmp"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'rtmpkit_received_bytes_total')).toBeGreaterThan(10_000);
    expect(metricValue(text, 'rtmpkit_plays_total{protocol="http-flv"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'rtmpkit_sent_bytes_total{protocol="http-flv"}')).toBeGreaterThan(10_000);
    expect(metricValue(text, 'rtmpkit_players{protocol="http-flv"}')).toBe(0);
    expect(metricValue(text, 'rtmpkit_stream_bitrate_bits{app="live",stream="x"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE rtmpkit_slow_players_total counter');
    expect(text).toContain('# TYPE rtmpkit_stream_dropped_frames_total counter');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('ffmpeg publishes over rtmpt:// to the HTTP port; the session is rtmpt and HTTP-FLV plays it', async () => {
    publishers.push(ffmpegPublish(file, `rtmpt://127.0.0.1:${web.address!.port}/live/tunnelled`, { loop: true }));
    await waitLive('tunnelled', 20_000);
    expect(server.sessions().find((s) => s.publishing.includes('tunnelled'))?.scheme).toBe('rtmpt');
    const probe = await ffprobe(`${base}/live/tunnelled.flv`);
    expect(probe.streams.map((s) => s.codec_name).sort(), probe.run.stderr).toEqual(['aac', 'h264']);
  }, 40_000);

  it('rtmpdump plays over rtmpte:// from the same HTTP port', async () => {
    const run = await runPeer('timeout', ['4', peerPath('rtmpdump'), '-q', '--live', '-r', `rtmpte://127.0.0.1:${web.address!.port}/live/x`, '-o', '/dev/null'], { timeoutMs: 10_000 });
    expect(run.code, run.stderr).toBe(124); // still receiving when timeout stopped it
    expect(schemes).toContain('rtmpte');
  });

  it('the response ends when the publisher leaves', async () => {
    const peer = ffmpegPublish(shortFile, `rtmp://127.0.0.1:${rtmpPort}/live/short`);
    publishers.push(peer);
    await until(() => server.streams().some((s) => s.name === 'short' && s.gop.messages > 0), 'short to be live', 10_000);
    const started = Date.now();
    const { tags, ended } = await readFlv(`${base}/live/short.flv`, () => false, 15_000);
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(tags.filter((tag) => tag.type === 9).length).toBeGreaterThan(10);
  }, 30_000);

  it('a client that stops reading is cut at the player limits; other clients keep playing', async () => {
    // A stream of about 4 MB/s, so the kernel's socket buffers fill in a moment and the queue grows.
    const flood = await publish(`rtmp://127.0.0.1:${rtmpPort}/live`, 'flood');
    const sending = sendFrames(flood.stream, syntheticStream({ frames: 500, fps: 25, frameBytes: 40_000, keyframeBytes: 80_000 }), 4).catch(() => {});
    try {
      await until(() => server.live.isLive('live', 'flood'), 'flood to be live');
      const port = tight.address!.port;
      const socket = tcpConnect({ host: '127.0.0.1', port });
      sockets.push(socket);
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('GET /live/flood.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      socket.pause();
      await until(() => tight.players.counters().plays === 1, 'the stalled player to start');
      const fast = readFlv(`http://127.0.0.1:${port}/live/x.flv`, (t) => t.length >= 100, 15_000);
      await until(() => tight.players.counters().slowPlayers === 1, 'the stalled player to be cut', 15_000);
      expect(tight.players.list().map((p) => p.name)).not.toContain('flood');
      expect((await fast).tags.length).toBeGreaterThanOrEqual(100);
    } finally {
      await flood.session.close();
      await sending;
    }
  }, 30_000);

  it('a port in use fails start() with a ServerListenError that names the port and the flag', async () => {
    const blocker: TcpServer = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = http({ host: '127.0.0.1', port });
      const other = createServer({ transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } }, ...busy.transports], plugins: [busy] });
      const error = await other.start().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ServerListenError);
      expect((error as Error).message).toContain(`port ${port}`);
      expect((error as Error).message).toContain('--http-port');
      expect(other.state).toBe('closed');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
