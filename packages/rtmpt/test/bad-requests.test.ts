import { connect } from 'node:net';
import type { TunnelError } from '../src/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pattern, probe } from './helpers/channel-probe.js';
import { rawOpen, rawRequest } from './helpers/raw-http.js';
import { startTunnelServer, type TestTunnelServer } from './helpers/tunnel-pair.js';

type Pair = Awaited<ReturnType<TestTunnelServer['openPair']>>;

/** A tunnel that watches the bad requests go by. */
async function openBystander(server: TestTunnelServer) {
  const pair = await server.openPair();
  return { ...pair, atServer: probe(pair.server), atClient: probe(pair.client) };
}

/** Proves a bystander tunnel still works end to end, and that nothing else reached it. */
async function bystanderStillWorks(
  server: TestTunnelServer,
  bystander: Pair & { atServer: ReturnType<typeof probe>; atClient: ReturnType<typeof probe> },
  seed: number,
) {
  const { atServer, atClient } = bystander;
  expect(atServer.receivedLength).toBe(0);
  const up = pattern(50_000, seed);
  const down = pattern(70_000, seed + 1);
  bystander.client.write(up);
  bystander.server.write(down);
  expect((await atServer.waitFor(up.length)).equals(up)).toBe(true);
  expect((await atClient.waitFor(down.length)).equals(down)).toBe(true);
  expect(atServer.isClosed || atClient.isClosed).toBe(false);
  expect(server.listener.tunnel.sessionCount).toBeGreaterThanOrEqual(1);
}

describe('bad requests get their status, never crash the server, never touch another tunnel', () => {
  let server: TestTunnelServer;
  const errors: TunnelError[] = [];
  beforeEach(async () => {
    errors.length = 0;
    server = await startTunnelServer({ maxBodyBytes: 64 * 1024, maxSessions: 4, onRequestError: (error) => errors.push(error) });
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers /open/1 with a fresh id and "\\n", with the RTMPT headers', async () => {
    const reply = await rawRequest(server.port, '/open/1');
    expect(reply.status).toBe(200);
    expect(reply.body.toString('latin1')).toMatch(/^[0-9a-f]{32}\n$/);
    expect(reply.headers['content-type']).toBe('application/x-fcs');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['content-length']).toBe('33');
    const other = await rawRequest(server.port, '/open/1');
    expect(other.body.toString()).not.toBe(reply.body.toString());
  });

  it('answers /fcs/ident2 with 404 (as Red5 does), and the client copes', async () => {
    expect((await rawRequest(server.port, '/fcs/ident2')).status).toBe(404);
    expect(errors).toEqual([]);
  });

  it('404 for an unknown session, 404 for unknown paths, 405 for other methods, 400 for a bad sequence number', async () => {
    const bystander = await openBystander(server);
    const cases: Array<[string, string, number]> = [
      ['POST', '/send/00000000000000000000000000000000/0', 404],
      ['POST', '/idle/nosuchsession/3', 404],
      ['POST', '/close/nosuchsession/3', 404],
      ['POST', '/open/x', 404],
      ['POST', '/send/onlyanid', 404],
      ['POST', '/fcs/ident3', 404],
      ['POST', '/nothing-of-ours', 404],
      ['GET', '/open/1', 405],
      ['PUT', `/send/${bystander.client.id}/50`, 405],
      ['POST', `/send/${bystander.client.id}/-1`, 400],
      ['POST', `/send/${bystander.client.id}/abc`, 400],
    ];
    for (const [method, path, status] of cases) {
      const reply = await rawRequest(server.port, path, { method, body: Buffer.from('garbage') });
      expect(reply.status, `${method} ${path}`).toBe(status);
      if (status === 405) expect(reply.headers.allow).toBe('POST');
    }
    // Every refusal is reported, except the path the tunnel does not own (the standalone server answers it).
    const owned = cases.filter(([, path]) => path !== '/nothing-of-ours');
    expect(errors.map((error) => error.status)).toEqual(owned.map(([, , status]) => status));
    await bystanderStillWorks(server, bystander, 1);
  });

  it('413 for a body over maxBodyBytes, by Content-Length or as it streams', async () => {
    const bystander = await openBystander(server);
    const id = bystander.client.id;
    expect((await rawRequest(server.port, `/send/${id}/40`, { body: Buffer.alloc(64 * 1024 + 1) })).status).toBe(413);
    const chunked = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(`POST /send/${id}/41 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const piece = Buffer.alloc(16 * 1024, 1);
        for (let i = 0; i < 6; i++) socket.write(`${piece.length.toString(16)}\r\n${piece.toString('latin1')}\r\n`);
      });
      let text = '';
      socket.on('data', (bytes) => (text += bytes.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(text) : reject(error)));
    });
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    // Neither body reached the session (checked first thing in bystanderStillWorks).
    await bystanderStillWorks(server, bystander, 2);
  });

  it('400 for a duplicate or stale sequence number, without touching the session', async () => {
    const id = await rawOpen(server.port);
    const end = await server.nextChannel();
    const atServer = probe(end);
    end.write(Buffer.from('for the client'));
    expect((await rawRequest(server.port, `/send/${id}/0`, { body: Buffer.from('one') })).body.subarray(1).toString()).toBe('for the client');
    end.write(Buffer.from('still queued'));
    const stale = await rawRequest(server.port, `/send/${id}/0`, { body: Buffer.from('replayed') });
    expect(stale.status).toBe(400);
    expect(stale.body.toString()).toMatch(/not above the last one/);
    expect(atServer.received().toString()).toBe('one');
    expect(end.writableLength).toBe(12);
    const next = await rawRequest(server.port, `/send/${id}/1`, { body: Buffer.from('two') });
    expect(next.status).toBe(200);
    expect(next.body.subarray(1).toString()).toBe('still queued');
    expect(atServer.received().toString()).toBe('onetwo');
  });

  it('400 beyond the reorder window', async () => {
    const id = await rawOpen(server.port);
    const end = await server.nextChannel();
    const atServer = probe(end);
    expect((await rawRequest(server.port, `/send/${id}/0`, { body: Buffer.from('a') })).status).toBe(200);
    const far = await rawRequest(server.port, `/send/${id}/9`, { body: Buffer.from('far') });
    expect(far.status).toBe(400);
    expect(far.body.toString()).toMatch(/reorderWindow = 8/);
    expect((await rawRequest(server.port, `/send/${id}/1`, { body: Buffer.from('b') })).status).toBe(200);
    expect(atServer.received().toString()).toBe('ab');
  });

  it('503 past maxSessions; a closed session frees its slot', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => rawOpen(server.port)));
    const full = await rawRequest(server.port, '/open/1');
    expect(full.status).toBe(503);
    expect(full.body.toString()).toMatch(/maxSessions = 4/);
    expect((await rawRequest(server.port, `/close/${ids[0]}/0`)).body).toEqual(Buffer.of(0));
    expect((await rawRequest(server.port, '/open/1')).status).toBe(200);
  });

  it('survives garbage that is not HTTP at all', async () => {
    const bystander = await openBystander(server);
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end(Buffer.from([3, ...pattern(1536)])));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    await bystanderStillWorks(server, bystander, 3);
  });
});
