import { describe, expect, it } from 'vitest';
import { tunnelClientChannel } from '../src/index.js';
import { pattern, probe } from './helpers/channel-probe.js';
import { runCertificateTests, selfSignedCertificate } from './helpers/self-signed.js';
import { startTunnelServer } from './helpers/tunnel-pair.js';

describe.skipIf(!runCertificateTests)('RTMPTS: the same tunnel over node:https', () => {
  it('carries bytes both ways over TLS, marks both ends secure, and checks the certificate', async () => {
    const certificate = selfSignedCertificate();
    const server = await startTunnelServer({ tls: certificate });
    try {
      expect(server.url).toMatch(/^rtmpts:/);
      await expect(tunnelClientChannel(server.url, { requestTimeoutMs: 5000 })).rejects.toThrow(/self[- ]signed/i);
      const { client, server: end } = await server.openPair({ tls: { ca: certificate.cert } });
      expect(client.secure).toBe(true);
      expect(end.secure).toBe(true);
      const atServer = probe(end);
      const atClient = probe(client);
      const up = pattern(300_000, 5);
      const down = pattern(500_000, 6);
      client.write(up);
      end.write(down);
      expect((await atServer.waitFor(up.length)).equals(up)).toBe(true);
      expect((await atClient.waitFor(down.length)).equals(down)).toBe(true);
      client.end();
      expect(await atServer.closed).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
