import { afterEach, describe, expect, it } from 'vitest';
import { probe } from './helpers/channel-probe.js';
import { rawOpen, rawRequest, requestsArrived } from './helpers/raw-http.js';
import { startTunnelServer, type TestTunnelServer } from './helpers/tunnel-pair.js';

describe('idle requests that find nothing to send', () => {
  let server: TestTunnelServer;
  afterEach(async () => {
    await server.close();
  });

  async function openRaw(idleHoldMs: number) {
    server = await startTunnelServer({ idleHoldMs });
    const id = await rawOpen(server.port);
    const end = await server.nextChannel();
    return { id, end, atServer: probe(end) };
  }

  it('are held up to idleHoldMs, then answered with the polling byte alone', async () => {
    const { id } = await openRaw(200);
    const started = Date.now();
    const reply = await rawRequest(server.port, `/idle/${id}/0`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(Buffer.of(1));
  });

  it('are answered as soon as the RTMP session writes, with what it wrote', async () => {
    const { id, end } = await openRaw(5000);
    const started = Date.now();
    const arrived = requestsArrived(server.listener.server, 1);
    const held = rawRequest(server.port, `/idle/${id}/0`);
    await arrived;
    end.write(Buffer.from('news'));
    end.write(Buffer.from(' and more'));
    const reply = await held;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(reply.body.subarray(1).toString()).toBe('news and more');
  });

  it('are answered at once when the client sends its next request (librtmp pipelines sends behind an idle)', async () => {
    const { id, atServer } = await openRaw(5000);
    const started = Date.now();
    const arrived = requestsArrived(server.listener.server, 1);
    const idle = rawRequest(server.port, `/idle/${id}/0`);
    await arrived;
    const send = rawRequest(server.port, `/send/${id}/1`, { body: Buffer.from('C0C1') });
    const [idleReply, sendReply] = await Promise.all([idle, send]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(idleReply.body).toEqual(Buffer.of(1));
    expect(sendReply.status).toBe(200);
    expect(atServer.received().toString()).toBe('C0C1');
  });

  it('carry polling byte 0 when the RTMP session ends meanwhile', async () => {
    const { id, end } = await openRaw(5000);
    const arrived = requestsArrived(server.listener.server, 1);
    const held = rawRequest(server.port, `/idle/${id}/0`);
    await arrived;
    end.end();
    expect((await held).body).toEqual(Buffer.of(0));
    expect(server.listener.tunnel.sessionCount).toBe(0);
  });

  it('are answered at once with idleHoldMs 0 (Red5 behaviour)', async () => {
    const { id } = await openRaw(0);
    const started = Date.now();
    const replies = [];
    for (let seq = 0; seq < 20; seq++) replies.push(await rawRequest(server.port, `/idle/${id}/${seq}`));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(replies.map((reply) => reply.body[0])).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 5, 9, 17, 33, 33, 33, 33, 33, 33]);
  });
});
