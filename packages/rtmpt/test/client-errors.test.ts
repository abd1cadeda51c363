import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@rtmpkit/test-peers';
import { afterEach, describe, expect, it } from 'vitest';
import { tunnelClientChannel } from '../src/index.js';
import { probe } from './helpers/channel-probe.js';
import { startTunnelServer, type TestTunnelServer } from './helpers/tunnel-pair.js';

/** A plain HTTP server that answers every request with `reply`. */
async function fakeServer(reply: (url: string) => { status: number; body: Buffer }): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    request.resume();
    const { status, body } = reply(request.url ?? '');
    response.writeHead(status, { 'Content-Length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the client tunnel fails with clear, typed errors', () => {
  let closeAfter: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closeAfter) await close();
    closeAfter = [];
  });

  it('when nothing listens', async () => {
    const port = await freePort();
    await expect(tunnelClientChannel(`rtmpt://127.0.0.1:${port}/live`)).rejects.toMatchObject({
      name: 'TunnelError',
      message: expect.stringMatching(/nothing accepts RTMPT requests at http:\/\/127\.0\.0\.1/),
    });
  });

  it('when the server is full (503) or is not an RTMPT server', async () => {
    const server: TestTunnelServer = await startTunnelServer({ maxSessions: 1 });
    closeAfter.push(() => server.close());
    await tunnelClientChannel(server.url);
    await expect(tunnelClientChannel(server.url)).rejects.toMatchObject({ name: 'TunnelError', status: 503 });

    const web = await fakeServer(() => ({ status: 200, body: Buffer.from('<!DOCTYPE html>\n<html><body>It works</body></html>\n') }));
    closeAfter.push(() => new Promise((resolve) => web.server.close(() => resolve())));
    await expect(tunnelClientChannel(`rtmpt://127.0.0.1:${web.port}/live`)).rejects.toThrow(/no usable session id/);
    const red5Full = await fakeServer(() => ({ status: 200, body: Buffer.of(0) }));
    closeAfter.push(() => new Promise((resolve) => red5Full.server.close(() => resolve())));
    await expect(tunnelClientChannel(`rtmpt://127.0.0.1:${red5Full.port}/live`)).rejects.toThrow(/no usable session id/);
  });

  it('when a reply is over maxReplyBytes, or has no polling byte', async () => {
    const big = await fakeServer((url) => (url === '/open/1' ? { status: 200, body: Buffer.from('abc\n') } : { status: 200, body: Buffer.alloc(5000, 1) }));
    closeAfter.push(() => new Promise((resolve) => big.server.close(() => resolve())));
    const client = await tunnelClientChannel(`rtmpt://127.0.0.1:${big.port}/live`, { maxReplyBytes: 4096 });
    expect(client.id).toBe('abc');
    const atClient = probe(client);
    expect(await atClient.closed).toMatchObject({ name: 'LimitExceededError', limit: 'maxReplyBytes', value: 4096 });

    const empty = await fakeServer((url) => (url === '/open/1' ? { status: 200, body: Buffer.from('abc\n') } : { status: 200, body: Buffer.alloc(0) }));
    closeAfter.push(() => new Promise((resolve) => empty.server.close(() => resolve())));
    const other = probe(await tunnelClientChannel(`rtmpt://127.0.0.1:${empty.port}/live`));
    expect(await other.closed).toMatchObject({ name: 'TunnelError', message: expect.stringMatching(/no polling byte/) });
  });

  it('when a request gets no reply within requestTimeoutMs', async () => {
    const silent = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closeAfter.push(
      () =>
        new Promise((resolve) => {
          silent.close(() => resolve());
          silent.closeAllConnections();
        }),
    );
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    await expect(tunnelClientChannel(`rtmpt://127.0.0.1:${port}/live`, { requestTimeoutMs: 200 })).rejects.toMatchObject({
      name: 'TunnelError',
      message: expect.stringMatching(/no reply .* to \/open\/1 in 200 ms/),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('refuses URLs that are not rtmpt/rtmpts/http/https, and bad limits', async () => {
    await expect(tunnelClientChannel('rtmp://127.0.0.1/live')).rejects.toMatchObject({ name: 'InvalidUrlError' });
    await expect(tunnelClientChannel('not a url')).rejects.toMatchObject({ name: 'InvalidUrlError' });
    await expect(tunnelClientChannel('rtmpt://127.0.0.1/live', { minPollMs: 900, maxPollMs: 100 })).rejects.toThrow(RangeError);
  });
});

describe('the server destroys a tunnel whose client stops collecting', () => {
  it('past maxQueuedBytes, with a LimitExceededError, leaving other tunnels alone', async () => {
    const server = await startTunnelServer({ maxQueuedBytes: 100_000, highWaterMark: 50_000 });
    try {
      const { client: bystanderClient, server: bystander } = await server.openPair();
      const { server: end } = await server.openPair();
      const atServer = probe(end);
      // The pair's client is never attached, so it never polls.
      expect(end.write(Buffer.alloc(60_000))).toBe(false);
      expect(end.write(Buffer.alloc(60_000))).toBe(false);
      expect(await atServer.closed).toMatchObject({ name: 'LimitExceededError', limit: 'maxQueuedBytes' });
      const atBystander = probe(bystanderClient);
      probe(bystander);
      bystander.write(Buffer.from('fine'));
      expect((await atBystander.waitFor(4)).toString()).toBe('fine');
    } finally {
      await server.close();
    }
  });
});
