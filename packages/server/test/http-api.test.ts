import { rtmp } from '@rtmpkit/rtmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, http, signStream, type HttpPlugin, type RtmpServer } from '../src/index.js';
import { publish, sendFrames, type Publisher } from './helpers/clients.js';
import { syntheticStream } from './helpers/synthetic.js';
import { until } from './helpers/test-server.js';

const TOKEN = 'api token for the test';
const SECRET = 'signed url secret for the test';

describe('http plugin without peers: API token, signed HTTP-FLV URLs, dashboard assets', () => {
  let server: RtmpServer;
  let web: HttpPlugin;
  let base: string;
  let publisher: Publisher;
  let sending: Promise<void>;

  beforeAll(async () => {
    web = http({ host: '127.0.0.1', port: 0, tunnel: false, apiToken: TOKEN, auth: { signedUrls: { secret: SECRET } }, processMetrics: false });
    server = createServer({ transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } }, ...web.transports], plugins: [web], shutdownTimeoutMs: 2000 });
    await server.start();
    base = `http://127.0.0.1:${web.address!.port}`;
    publisher = await publish(`rtmp://127.0.0.1:${server.addresses[0]!.port}/live`, 'cam');
    sending = sendFrames(publisher.stream, syntheticStream({ frames: 1500, fps: 25 }), 1).catch(() => {});
    await until(() => server.streams().some((s) => s.name === 'cam' && s.gop.messages > 0), 'cam to be live');
  });

  afterAll(async () => {
    await publisher?.session.close();
    await sending;
    await server?.close();
  });

  it('with an API token, /api/* and /metrics need "Authorization: Bearer"', async () => {
    const refused = await fetch(`${base}/api/streams`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const allowed = await fetch(`${base}/api/streams`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(allowed.status).toBe(200);
    const { streams } = (await allowed.json()) as { streams: Array<{ name: string; video: { codec: string; width: number } }> };
    expect(streams.find((s) => s.name === 'cam')?.video).toMatchObject({ codec: 'h264', width: 320 });
    expect((await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('HTTP-FLV follows the signed URLs: 403 without a signature, 200 with one, and the API lists the player', async () => {
    const unsigned = await fetch(`${base}/live/cam.flv`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(/signed URL is required/);
    const { query } = signStream('live', 'cam', { secret: SECRET, expiresIn: 60 });
    const abort = new AbortController();
    const signed = await fetch(`${base}/live/cam.flv?${query}`, { signal: abort.signal });
    try {
      expect(signed.status).toBe(200);
      await until(() => web.players.size === 1, 'the player to be registered');
      const sessions = (await (await fetch(`${base}/api/sessions`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { httpFlv: Array<Record<string, unknown>> };
      expect(sessions.httpFlv).toEqual([expect.objectContaining({ app: 'live', name: 'cam', remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/) })]);
    } finally {
      abort.abort();
    }
    await until(() => web.players.size === 0, 'the player to be gone');
    expect(web.players.counters()).toMatchObject({ plays: 1, refused: 1 });
  });

  it('serves the dashboard with a strict CSP, its script and mpegts.js from node_modules', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/assets/mpegts.js"></script>');
    expect(html).not.toMatch(/<script>/);
    const script = await fetch(`${base}/assets/dashboard.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('/api/streams');
    const mpegts = await fetch(`${base}/assets/mpegts.js`);
    expect(mpegts.status).toBe(200);
    const text = await mpegts.text();
    expect(text.length).toBeGreaterThan(100_000);
    expect(text).toContain('mpegts');
  });

  it('without a tunnel, a POST says RTMPT is not served here', async () => {
    const response = await fetch(`${base}/open/1`, { method: 'POST', body: Buffer.from([0]) });
    expect(response.status).toBe(405);
    expect(await response.text()).toMatch(/RTMPT is served here only/);
  });
});
