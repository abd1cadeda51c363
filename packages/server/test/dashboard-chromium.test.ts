import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rtmp } from '@rtmpkit/rtmp';
import { describeWithPeers, makeTestFlv, type RunningPeer } from '@rtmpkit/test-peers';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, http, type HttpPlugin, type RtmpServer } from '../src/index.js';
import { ffmpegPublish } from './helpers/peers.js';
import { until } from './helpers/test-server.js';

/** Debian's Chromium (`apt-get install -y chromium`; tools/ci/ensure-peers.sh installs it). */
const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium's own connections are refused here and it stalls. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** `describeWithPeers` (ffmpeg) that also needs Chromium: skipped without it, failing under CI=true. */
function describeWithChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describeWithPeers(title, ['ffmpeg'], body);
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it('needs chromium', () => {
        throw new Error(`missing peer under CI: ${CHROMIUM}; tools/ci/ensure-peers.sh should have installed it (apt-get install -y chromium)`);
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${CHROMIUM} not installed; apt-get install -y chromium)`, body);
  }
}

describeWithChromium('dashboard in Chromium: a stream ffmpeg publishes appears and its preview plays', () => {
  let server: RtmpServer;
  let web: HttpPlugin;
  let publisher: RunningPeer | undefined;
  let profile: string;
  let browser: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    const file = await makeTestFlv({ seconds: 10, width: 640, height: 360 });
    web = http({ host: '127.0.0.1', port: 0, tunnel: false });
    server = createServer({ transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } }], plugins: [web], shutdownTimeoutMs: 2000 });
    await server.start();
    publisher = ffmpegPublish(file, `rtmp://127.0.0.1:${server.addresses[0]!.port}/live/preview`, { loop: true });
    await until(() => server.streams().some((s) => s.name === 'preview' && s.gop.messages > 0), 'preview to be live', 15_000);
    profile = mkdtempSync(join(tmpdir(), 'rtmpkit-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 90_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await publisher?.stop();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('lists the live stream with its codecs and size', async () => {
    await page.goto(`http://127.0.0.1:${web.address!.port}/`, { timeout: 15_000 });
    const card = page.locator('section[data-stream="live/preview"]');
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.locator('.facts').textContent(), { timeout: 5000 }).toMatch(/h264 640x360.*aac/);
    expect(await card.locator('.urls').textContent()).toContain('/live/preview.flv');
  }, 30_000);

  it('plays the preview: the <video> currentTime advances', async () => {
    const card = page.locator('section[data-stream="live/preview"]');
    await card.locator('button.preview').click();
    // Read from Node (page.evaluate runs the function through the DevTools protocol, which the
    // page's Content-Security-Policy allows; waitForFunction would need 'unsafe-eval').
    const currentTime = (): Promise<number> =>
      page.evaluate(() => {
        const video = (globalThis as any).document.querySelector('section[data-stream="live/preview"] video');
        return video ? Number(video.currentTime) : -1;
      });
    await expect.poll(currentTime, { timeout: 20_000, interval: 200 }).toBeGreaterThan(0.5);
    const before = await currentTime();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = await currentTime();
    expect(after - before).toBeGreaterThan(1);
    expect(await card.locator('.error').textContent()).toBe('');
    await until(() => web.players.size === 1, 'the preview to be an HTTP-FLV player of the server');
  }, 40_000);
});
