import { RtmpError } from '@rtmpkit/core';
import { rtmp } from '@rtmpkit/rtmp';
import { freePort } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevelopmentCertificate, rtmps, TlsCertificateError, TlsHandshakeError, type DevelopmentCertificate } from '../src/index.js';
import { echo, startEchoServer, type EchoServer } from './helpers/echo-server.js';
import { servedCertificate } from './helpers/served-certificate.js';

describe('the client verifies the server certificate', () => {
  let good: DevelopmentCertificate;
  let server: EchoServer;
  let expiredServer: EchoServer;

  beforeAll(async () => {
    good = await createDevelopmentCertificate({ hostnames: ['localhost', 'media.test'], ips: ['127.0.0.1'] });
    const expired = await createDevelopmentCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'], days: 1, validFrom: new Date(Date.now() - 10 * 86_400_000) });
    server = await startEchoServer({ certificate: { cert: good.cert, key: good.key } });
    expiredServer = await startEchoServer({ certificate: { cert: expired.cert, key: expired.key } });
  });

  afterAll(async () => {
    await server?.close();
    await expiredServer?.close();
  });

  async function refusal(promise: Promise<unknown>): Promise<TlsCertificateError> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TlsCertificateError);
    const typed = error as TlsCertificateError;
    expect(RtmpError.isInstance(typed)).toBe(true);
    expect(typed.code).toBe('ERR_RTMPS_CERTIFICATE');
    expect(typed.name).toBe('TlsCertificateError');
    return typed;
  }

  it('by default (Node CA list): a self-signed certificate is refused, saying to pass it as `ca`', async () => {
    const error = await refusal(rtmps().connect(server.url));
    expect(error.problem).toBe('self-signed');
    expect(error.tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error.host).toBe('127.0.0.1');
    expect(error.message).toContain(`the RTMPS server 127.0.0.1:${server.port} presented a self-signed certificate`);
    expect(error.message).toContain('`ca`');
    expect(error.message).toContain('`insecureSkipVerify: true`');
    expect(server.sessions).toHaveLength(0);
  });

  it('with the certificate as `ca`: connects, and both sides say the session is secure', async () => {
    const session = await rtmps({ ca: good.cert }).connect(server.url);
    expect(session.secure).toBe(true);
    expect(session.scheme).toBe('rtmps');
    expect(session.connectInfo.tcUrl).toBe(server.url);
    expect(await echo(session, 'over tls')).toBe('over tls');
    const serverSide = server.sessions.at(-1)!;
    expect(serverSide.secure).toBe(true);
    expect(serverSide.scheme).toBe('rtmps');
    await session.close();
  });

  it('checks the name: `servername` the certificate lists passes (as SNI), one it does not list is a hostname mismatch', async () => {
    const named = await rtmps({ ca: good.cert, servername: 'media.test' }).connect(server.url);
    expect(await echo(named, 'named')).toBe('named');
    await named.close();

    const error = await refusal(rtmps({ ca: good.cert }).connect(server.url, { tls: { servername: 'other.test' } }));
    expect(error.problem).toBe('hostname-mismatch');
    expect(error.tlsCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(error.host).toBe('other.test');
    expect(error.message).toContain('not valid for "other.test" (it lists DNS:localhost, DNS:media.test, IP Address:127.0.0.1)');
    expect(error.message).toContain('`servername`');
  });

  it('reports CERT_HAS_EXPIRED for an expired certificate that is trusted', async () => {
    const trusting = rtmps({ ca: (await servedCertificate(expiredServer.port)).toString() });
    const error = await refusal(trusting.connect(expiredServer.url));
    expect(error.problem).toBe('expired');
    expect(error.tlsCode).toBe('CERT_HAS_EXPIRED');
    expect(error.message).toMatch(/presented a certificate that expired on .* GMT \(CERT_HAS_EXPIRED\)\. The server must renew it/);
  });

  it('reports CERT_NOT_YET_VALID for a trusted certificate whose validity starts tomorrow', async () => {
    const future = await createDevelopmentCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'], validFrom: new Date(Date.now() + 86_400_000) });
    const early = await startEchoServer({ certificate: { cert: future.cert, key: future.key } });
    try {
      const error = await refusal(rtmps({ ca: future.cert }).connect(early.url));
      expect(error.problem).toBe('not-yet-valid');
      expect(error.tlsCode).toBe('CERT_NOT_YET_VALID');
      expect(error.message).toMatch(/presented a certificate not valid before .* GMT \(CERT_NOT_YET_VALID\)\. Check the clocks/);
    } finally {
      await early.close();
    }
  });

  it('`insecureSkipVerify: true` accepts self-signed and expired certificates and names it does not list', async () => {
    for (const [url, servername] of [[server.url, undefined], [expiredServer.url, undefined], [server.url, 'other.test']] as const) {
      const session = await rtmps({ insecureSkipVerify: true, servername }).connect(url);
      expect(await echo(session, 'unverified')).toBe('unverified');
      expect(session.secure).toBe(true);
      await session.close();
    }
  });

  it('an RTMPS client at a plain RTMP port gets a TlsHandshakeError that points at rtmp://', async () => {
    const plain = await rtmp().listen({ host: '127.0.0.1', port: 0, timeouts: { handshake: 2000 } });
    try {
      const error = await rtmps({ insecureSkipVerify: true }).connect(`rtmps://127.0.0.1:${plain.address.port}/live`).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TlsHandshakeError);
      expect((error as TlsHandshakeError).code).toBe('ERR_RTMPS_HANDSHAKE');
      expect((error as Error).message).toContain(`the server at 127.0.0.1:${plain.address.port} did not complete a TLS handshake`);
      expect((error as Error).message).toContain('takes rtmp:// URLs');
    } finally {
      await plain.close();
    }
  });

  it('nothing listening: says which port rtmps tried', async () => {
    const port = await freePort();
    await expect(rtmps().connect(`rtmps://127.0.0.1:${port}/live`)).rejects.toThrow(`nothing accepts RTMPS connections on 127.0.0.1:${port}`);
  });

  it('refuses rtmp:// URLs', async () => {
    await expect(rtmps().connect('rtmp://127.0.0.1/live')).rejects.toMatchObject({ code: 'ERR_RTMP_INVALID_URL' });
  });
});
