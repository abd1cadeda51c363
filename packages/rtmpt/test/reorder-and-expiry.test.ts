import { afterEach, describe, expect, it } from 'vitest';
import { probe } from './helpers/channel-probe.js';
import { rawOpen, rawRequest, requestsArrived } from './helpers/raw-http.js';
import { startTunnelServer, type TestTunnelServer } from './helpers/tunnel-pair.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sequence numbers over separate connections', () => {
  let server: TestTunnelServer;
  afterEach(async () => {
    await server.close();
  });

  it('restores the order of sends that arrive out of order', async () => {
    server = await startTunnelServer({ reorderWaitMs: 5000 });
    const id = await rawOpen(server.port);
    const atServer = probe(await server.nextChannel());
    expect((await rawRequest(server.port, `/send/${id}/0`, { body: Buffer.from('a') })).status).toBe(200);
    const arrived = requestsArrived(server.listener.server, 2);
    const third = rawRequest(server.port, `/send/${id}/3`, { body: Buffer.from('d') });
    const second = rawRequest(server.port, `/send/${id}/2`, { body: Buffer.from('c') });
    await arrived;
    expect(atServer.received().toString()).toBe('a');
    const first = rawRequest(server.port, `/send/${id}/1`, { body: Buffer.from('b') });
    const replies = await Promise.all([first, second, third]);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(atServer.received().toString()).toBe('abcd');
  });

  it('accepts a gap as a skip after reorderWaitMs, so any increasing numbering works', async () => {
    server = await startTunnelServer({ reorderWaitMs: 150 });
    const id = await rawOpen(server.port);
    const atServer = probe(await server.nextChannel());
    expect((await rawRequest(server.port, `/send/${id}/1`, { body: Buffer.from('first at 1;') })).status).toBe(200);
    const started = Date.now();
    expect((await rawRequest(server.port, `/send/${id}/5`, { body: Buffer.from('then 5;') })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await rawRequest(server.port, `/send/${id}/6`, { body: Buffer.from('then 6') })).status).toBe(200);
    expect(atServer.received().toString()).toBe('first at 1;then 5;then 6');
    // The skipped numbers are now stale.
    expect((await rawRequest(server.port, `/send/${id}/3`, { body: Buffer.from('late') })).status).toBe(400);
  });

  it('answers requests held for reordering with polling byte 0 when the tunnel closes', async () => {
    server = await startTunnelServer({ reorderWaitMs: 5000 });
    const id = await rawOpen(server.port);
    const end = await server.nextChannel();
    probe(end);
    const arrived = requestsArrived(server.listener.server, 1);
    const held = rawRequest(server.port, `/send/${id}/4`, { body: Buffer.from('x') });
    await arrived;
    end.destroy();
    const reply = await held;
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(Buffer.of(0));
  });
});

describe('session expiry', () => {
  let server: TestTunnelServer;
  afterEach(async () => {
    await server.close();
  });

  it('closes a tunnel with no request for sessionTimeoutMs (TimeoutError), then answers 404', async () => {
    server = await startTunnelServer({ sessionTimeoutMs: 200 });
    const id = await rawOpen(server.port);
    const atServer = probe(await server.nextChannel());
    const started = Date.now();
    const error = await atServer.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(error).toMatchObject({ name: 'TimeoutError', timeout: 'idle', ms: 200 });
    expect(server.listener.tunnel.sessionCount).toBe(0);
    expect((await rawRequest(server.port, `/idle/${id}/0`)).status).toBe(404);
  });

  it('expires a tunnel nobody attached, answering its waiting send with polling byte 0', async () => {
    server = await startTunnelServer({ sessionTimeoutMs: 200 });
    const id = await rawOpen(server.port);
    const started = Date.now();
    // Bytes wait for attach(), so the reply waits too, until the tunnel expires.
    const reply = await rawRequest(server.port, `/send/${id}/0`, { body: Buffer.from('C0C1') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(reply.body).toEqual(Buffer.of(0));
    expect(server.listener.tunnel.sessionCount).toBe(0);
  });

  it('keeps a tunnel whose client polls', async () => {
    server = await startTunnelServer({ sessionTimeoutMs: 200 });
    const { client, server: end } = await server.openPair({ maxPollMs: 50 });
    const atServer = probe(end);
    probe(client);
    await sleep(700);
    expect(atServer.isClosed).toBe(false);
    expect(server.listener.tunnel.sessionCount).toBe(1);
  });

  it('does not expire a tunnel whose send reply the server holds back (paused reading)', async () => {
    server = await startTunnelServer({ sessionTimeoutMs: 150 });
    const { client, server: end } = await server.openPair();
    const atServer = probe(end);
    probe(client);
    end.pause();
    client.write(Buffer.from('waiting'));
    await sleep(500);
    expect(atServer.isClosed).toBe(false);
    end.resume();
    expect((await atServer.waitFor(7)).toString()).toBe('waiting');
  });
});
