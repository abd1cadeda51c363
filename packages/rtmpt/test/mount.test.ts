import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTunnelServer, tunnelClientChannel, type TunnelChannel, type TunnelServer } from '../src/index.js';
import { probe } from './helpers/channel-probe.js';
import { rawRequest } from './helpers/raw-http.js';

describe('mounted on an existing node:http server', () => {
  let http: Server;
  let tunnel: TunnelServer;
  afterEach(async () => {
    tunnel.close();
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  });

  it('serves RTMPT next to other routes on one port, and leaves those routes alone', async () => {
    const channels: TunnelChannel[] = [];
    tunnel = createTunnelServer({ onChannel: (channel) => channels.push(channel) });
    const other: string[] = [];
    http = createServer((request, response) => {
      if (tunnel.handleRequest(request, response)) return;
      other.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('api');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;

    const api = await rawRequest(port, '/api/streams', { method: 'GET' });
    expect(api.status).toBe(200);
    expect(api.body.toString()).toBe('api');
    expect((await rawRequest(port, '/live/x.flv', { method: 'GET' })).body.toString()).toBe('api');

    const client = await tunnelClientChannel(`rtmpt://127.0.0.1:${port}/live`);
    expect(channels).toHaveLength(1);
    const atServer = probe(channels[0]!);
    const atClient = probe(client);
    client.write(Buffer.from('through the shared port'));
    channels[0]!.write(Buffer.from('and back'));
    expect((await atServer.waitFor(23)).toString()).toBe('through the shared port');
    expect((await atClient.waitFor(8)).toString()).toBe('and back');
    expect(other).toEqual(['GET /api/streams', 'GET /live/x.flv']);
  });
});
