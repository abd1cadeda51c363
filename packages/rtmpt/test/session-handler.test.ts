import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type IncomingSession, type Listener, RtmpError, startServerSession } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTunnelSessionHandler, listenTunnelSessions, rtmpt, type TunnelChannel } from '../src/index.js';
import { rawRequest } from './helpers/raw-http.js';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

describe('createTunnelSessionHandler and listenTunnelSessions (the building blocks of other tunnel variants)', () => {
  it('runs the given startSession over each tunnel and yields what it resolves to', async () => {
    const channels: TunnelChannel[] = [];
    const handler = createTunnelSessionHandler({
      startSession(channel) {
        channels.push(channel);
        return startServerSession(channel, { scheme: 'rtmpte' });
      },
    });
    const listener = await listenTunnelSessions(handler, { host: '127.0.0.1', port: 0 });
    listeners.push(listener);
    const incoming: IncomingSession[] = [];
    void (async () => {
      for await (const session of listener) {
        incoming.push(session);
        await session.accept();
      }
    })();
    const client = await rtmpt().connect(`rtmpt://127.0.0.1:${listener.address.port}/custom`);
    expect(channels).toHaveLength(1);
    expect(channels[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(incoming.map((session) => [session.connectInfo.app, session.scheme])).toEqual([['custom', 'rtmpte']]);
    await client.close();
  });

  it('reports a session that fails before connect and destroys its tunnel', async () => {
    const failures: Array<{ error: unknown; address: string }> = [];
    const refusal = new Error('not for this test');
    const handler = createTunnelSessionHandler({
      startSession: () => Promise.reject(refusal),
      onConnectionError: (error, remote) => failures.push({ error, address: remote.address }),
    });
    const listener = await listenTunnelSessions(handler, { host: '127.0.0.1', port: 0 });
    listeners.push(listener);
    await expect(rtmpt().connect(`rtmpt://127.0.0.1:${listener.address.port}/x`, { timeouts: { handshake: 2000 } })).rejects.toBeInstanceOf(RtmpError);
    expect(failures).toEqual([{ error: refusal, address: '127.0.0.1' }]);
    expect(handler.tunnel.sessionCount).toBe(0);
  });

  it('closes the handler when the port cannot be had, and throws', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const handler = createTunnelSessionHandler({ startSession: (channel) => startServerSession(channel) });
      await expect(listenTunnelSessions(handler, { host: '127.0.0.1', port })).rejects.toThrow(/already in use/);
      // A closed handler refuses new tunnels: mount it on the taken server to see.
      taken.on('request', (request, response) => handler.handleRequest(request, response));
      expect((await rawRequest(port, '/open/1')).status).toBe(503);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
