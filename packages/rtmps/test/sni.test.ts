import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevelopmentCertificate, rtmps, type DevelopmentCertificate } from '../src/index.js';
import { echo, startEchoServer, type EchoServer } from './helpers/echo-server.js';
import { servedCertificate } from './helpers/served-certificate.js';
import { tempDir } from './helpers/temp-dir.js';

describe('SNI: one listener, a certificate per host name', () => {
  let fallback: DevelopmentCertificate;
  let alpha: DevelopmentCertificate;
  let wildcard: DevelopmentCertificate;
  let server: EchoServer;

  beforeAll(async () => {
    [fallback, alpha, wildcard] = await Promise.all([
      createDevelopmentCertificate({ hostnames: ['default.test'], ips: ['127.0.0.1'] }),
      createDevelopmentCertificate({ hostnames: ['alpha.test'], ips: [] }),
      createDevelopmentCertificate({ hostnames: ['*.live.test'], ips: [] }),
    ]);
    server = await startEchoServer({
      certificate: { cert: fallback.cert, key: fallback.key },
      sni: { 'Alpha.Test': { cert: alpha.cert, key: alpha.key }, '*.live.test': { cert: wildcard.cert, key: wildcard.key } },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('presents the certificate of the name the client sends, the default for other names and for no name', async () => {
    const fingerprint = async (servername?: string) => (await servedCertificate(server.port, servername)).fingerprint256;
    expect(await fingerprint('alpha.test')).toBe(alpha.fingerprint256);
    expect(await fingerprint('ALPHA.test')).toBe(alpha.fingerprint256);
    expect(await fingerprint('eu.live.test')).toBe(wildcard.fingerprint256);
    expect(await fingerprint('a.eu.live.test')).toBe(fallback.fingerprint256);
    expect(await fingerprint('unknown.test')).toBe(fallback.fingerprint256);
    expect(await fingerprint(undefined)).toBe(fallback.fingerprint256);
  });

  it('our client sends `servername` and verifies the certificate for that name, trusting only that one', async () => {
    for (const [servername, ca] of [['alpha.test', alpha.cert], ['eu.live.test', wildcard.cert], ['default.test', fallback.cert]] as const) {
      const session = await rtmps({ ca, servername }).connect(server.url);
      expect(await echo(session, servername)).toBe(servername);
      await session.close();
    }
    // By IP, no SNI: the default certificate, which lists 127.0.0.1.
    const byIp = await rtmps({ ca: fallback.cert }).connect(server.url);
    expect(await echo(byIp, 'by ip')).toBe('by ip');
    await byIp.close();
    // Trusting alpha's certificate only, a connection that gets the default one is refused.
    await expect(rtmps({ ca: alpha.cert, servername: 'unknown.test' }).connect(server.url)).rejects.toMatchObject({ code: 'ERR_RTMPS_CERTIFICATE' });
  });

  it('a SNI-only server falls back to a development certificate for other names, and logs that', async () => {
    const dir = tempDir('sni-dev');
    const only = await startEchoServer({ sni: { 'alpha.test': { cert: alpha.cert, key: alpha.key } }, developmentCertificate: { directory: dir.path } });
    try {
      expect((await servedCertificate(only.port, 'alpha.test')).fingerprint256).toBe(alpha.fingerprint256);
      const other = await servedCertificate(only.port);
      expect(other.subject).toContain('O=rtmpkit development certificate');
      expect(only.logs.some((entry) => entry.message.includes('no certificate configured'))).toBe(true);
    } finally {
      await only.close();
      dir.remove();
    }
  });
});
