import type { IncomingSession, Session } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { rtmfp, rtmfpSessionInfo, type RtmfpTransportOptions } from '../src/index.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close().catch(() => {});
});

async function pair(options: RtmfpTransportOptions = {}): Promise<{ client: Session; server: Session; incoming: IncomingSession }> {
  const listener = await rtmfp(options).listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(() => listener.close());
  const iterator = listener[Symbol.asyncIterator]();
  const clientPromise = rtmfp(options).connect(`rtmfp://127.0.0.1:${listener.address.port}/app`);
  const incoming = (await iterator.next()).value as IncomingSession;
  const server = await incoming.accept();
  const client = await clientPromise;
  cleanup.push(() => client.close());
  return { client, server, incoming };
}

function until(check: () => boolean, ms = 3000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() - started > ms ? reject(new Error('not in time')) : setTimeout(tick, 5));
    tick();
  });
}

describe('rtmfp() transport', () => {
  it('the client reports its addresses with setPeerInfo; the server answers with Set Keepalive', async () => {
    const { client, server } = await pair({ keepalive: { serverMs: 7000, peerMs: 6000 } });
    const serverInfo = rtmfpSessionInfo(server)!;
    await until(() => serverInfo.reportedAddresses.length > 0);
    const clientPort = serverInfo.remote.port;
    expect(serverInfo.reportedAddresses).toContainEqual({ host: '127.0.0.1', port: clientPort, origin: 'reported' });
    await until(() => rtmfpSessionInfo(client)!.keepaliveMs === 7000);
  });

  it('each side knows both peer ids; the client looks like Flash Player (one static group 2 key)', async () => {
    const { client, server } = await pair();
    const clientInfo = rtmfpSessionInfo(client)!;
    const serverInfo = rtmfpSessionInfo(server)!;
    expect(clientInfo.farPeerId).toBe(serverInfo.nearPeerId);
    expect(serverInfo.farPeerId).toBe(clientInfo.nearPeerId);
    expect(clientInfo.nearPeerId).toMatch(/^[0-9a-f]{64}$/);
    expect(client.scheme).toBe('rtmfp');
    expect(client.secure).toBe(false);
  });

  it('closing the listener ends its sessions, and the client hears it', async () => {
    const listener = await rtmfp().listen({ host: '127.0.0.1', port: 0 });
    const serving = (async () => {
      for await (const incoming of listener) await incoming.accept();
    })();
    const client = await rtmfp().connect(`rtmfp://127.0.0.1:${listener.address.port}/app`);
    await listener.close();
    await serving;
    await client.closed;
    expect(client.state).toBe('closed');
  });

  it('a server that is not there: connect fails with a handshake timeout', async () => {
    const error = await rtmfp()
      .connect('rtmfp://127.0.0.1:9/app', { timeouts: { handshake: 300 } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'TimeoutError', timeout: 'handshake' });
  });

  it('refuses URLs of other schemes', async () => {
    await expect(rtmfp().connect('rtmp://127.0.0.1/app')).rejects.toThrow(/rtmfp/);
  });
});
