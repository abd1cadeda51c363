import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pattern, probe } from './helpers/channel-probe.js';
import { startTunnelServer, type TestTunnelServer } from './helpers/tunnel-pair.js';

describe('client channel ↔ server channel over a real HTTP server on loopback', () => {
  let server: TestTunnelServer;
  beforeEach(async () => {
    server = await startTunnelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('carries bytes both ways, in order, and tells the ids and ends', async () => {
    const { client, server: end } = await server.openPair();
    expect(client.id).toBe(end.id);
    expect(end.id).toMatch(/^[0-9a-f]{32}$/);
    expect(client.secure).toBe(false);
    expect(end.secure).toBe(false);
    expect(end.remote.address).toBe('127.0.0.1');
    expect(client.remote).toMatchObject({ address: '127.0.0.1', port: server.port, family: 'IPv4' });
    const atServer = probe(end);
    const atClient = probe(client);
    client.write(Buffer.from('C0C1'));
    client.write(Buffer.from('+more'));
    expect((await atServer.waitFor(9)).toString()).toBe('C0C1+more');
    end.write(Buffer.from('S0S1S2'));
    expect((await atClient.waitFor(6)).toString()).toBe('S0S1S2');
    for (let i = 0; i < 20; i++) {
      client.write(Buffer.from(`c${i};`));
      end.write(Buffer.from(`s${i};`));
    }
    const expectedClient = Array.from({ length: 20 }, (_, i) => `c${i};`).join('');
    const expectedServer = Array.from({ length: 20 }, (_, i) => `s${i};`).join('');
    expect((await atServer.waitFor(9 + expectedClient.length)).subarray(9).toString()).toBe(expectedClient);
    expect((await atClient.waitFor(6 + expectedServer.length)).subarray(6).toString()).toBe(expectedServer);
  });

  it('moves 8 MiB each way intact, across many replies and sends', async () => {
    const { client, server: end } = await server.openPair({ maxSendBytes: 64 * 1024 });
    const atServer = probe(end);
    const atClient = probe(client);
    const up = pattern(8 * 1024 * 1024, 7);
    const down = pattern(8 * 1024 * 1024, 11);
    for (let offset = 0; offset < up.length; offset += 100_000) client.write(up.subarray(offset, offset + 100_000));
    // The server writes past its high-water mark and waits for drain, as the session does.
    let offset = 0;
    const pump = () => {
      while (offset < down.length) {
        const ok = end.write(down.subarray(offset, offset + 65_536));
        offset += 65_536;
        if (!ok) return;
      }
    };
    const drained = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        pump();
        if (offset >= down.length) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    pump();
    const [gotUp, gotDown] = await Promise.all([atServer.waitFor(up.length, 30_000), atClient.waitFor(down.length, 30_000), drained]);
    expect(gotUp.equals(up)).toBe(true);
    expect(gotDown.equals(down)).toBe(true);
  }, 60_000);

  it('keeps 50 concurrent tunnels apart', async () => {
    const pairs = await Promise.all(Array.from({ length: 50 }, () => server.openPair()));
    expect(new Set(pairs.map((pair) => pair.client.id)).size).toBe(50);
    expect(server.listener.tunnel.sessionCount).toBe(50);
    const checks = pairs.map(async ({ client, server: end }, index) => {
      const atServer = probe(end);
      const atClient = probe(client);
      const up = pattern(20_000, index + 1);
      const down = pattern(30_000, index + 1000);
      client.write(up);
      end.write(down);
      const [gotUp, gotDown] = await Promise.all([atServer.waitFor(up.length), atClient.waitFor(down.length)]);
      expect(gotUp.equals(up)).toBe(true);
      expect(gotDown.equals(down)).toBe(true);
    });
    await Promise.all(checks);
  }, 30_000);

  it('reports backpressure: write() false above the high-water mark, drain once the client collected it', async () => {
    const limited = await startTunnelServer({ highWaterMark: 64 * 1024, maxReplyBytes: 16 * 1024 });
    try {
      const { client, server: end } = await limited.openPair();
      const atServer = probe(end);
      expect(end.write(Buffer.alloc(32 * 1024))).toBe(true);
      expect(end.write(Buffer.alloc(40 * 1024))).toBe(false);
      expect(end.writableLength).toBe(72 * 1024);
      expect(atServer.drains).toBe(0);
      const atClient = probe(client);
      await atClient.waitFor(72 * 1024);
      expect(end.writableLength).toBe(0);
      expect(atServer.drains).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('applies backpressure on the client side too', async () => {
    const { client, server: end } = await server.openPair({ highWaterMark: 10_000, maxSendBytes: 4096 });
    const atClient = probe(client);
    const atServer = probe(end);
    expect(client.write(Buffer.alloc(6000))).toBe(true);
    expect(client.write(Buffer.alloc(6000))).toBe(false);
    expect(client.writableLength).toBe(12_000);
    await atServer.waitFor(12_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.writableLength).toBe(0);
    expect(atClient.drains).toBe(1);
  });

  it('pauses delivery on the server: the send reply waits, nothing is lost', async () => {
    const { client, server: end } = await server.openPair();
    const atServer = probe(end);
    end.pause();
    client.write(Buffer.from('held'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(atServer.receivedLength).toBe(0);
    client.write(Buffer.from('-and-more'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.writableLength).toBeGreaterThan(0);
    end.resume();
    expect((await atServer.waitFor(13)).toString()).toBe('held-and-more');
  });

  it('closes orderly from the client: /close ends the server channel without error', async () => {
    const { client, server: end } = await server.openPair();
    const atServer = probe(end);
    const atClient = probe(client);
    client.write(Buffer.from('last words'));
    client.end();
    await atServer.waitFor(10);
    expect(await atServer.closed).toBeUndefined();
    expect(await atClient.closed).toBeUndefined();
    expect(server.listener.tunnel.sessionCount).toBe(0);
  });

  it('closes orderly from the server: queued bytes arrive, then polling byte 0 closes the client', async () => {
    const { client, server: end } = await server.openPair();
    const atServer = probe(end);
    const atClient = probe(client);
    end.write(pattern(3 * 1024 * 1024, 3));
    end.end();
    expect(end.write(Buffer.from('too late'))).toBe(false);
    const got = await atClient.waitFor(3 * 1024 * 1024);
    expect(got.equals(pattern(3 * 1024 * 1024, 3))).toBe(true);
    expect(await atClient.closed).toBeUndefined();
    expect(await atServer.closed).toBeUndefined();
  });

  it('destroy() on the client tells the server at once (best-effort /close)', async () => {
    const { client, server: end } = await server.openPair();
    const atServer = probe(end);
    const atClient = probe(client);
    const failure = new Error('gave up');
    client.destroy(failure);
    expect(await atClient.closed).toBe(failure);
    expect(await atServer.closed).toBeUndefined();
  });

  it('destroy() on the server makes the client fail cleanly on its next request', async () => {
    const { client, server: end } = await server.openPair({ maxPollMs: 20 });
    probe(end);
    const atClient = probe(client);
    end.destroy();
    // No request is ever held over an idle poll, so the next poll finds the session gone.
    expect(await atClient.closed).toMatchObject({ name: 'TunnelError', code: 'ERR_RTMPT_TUNNEL', status: 404 });
  });
});
