import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevelopmentCertificate, rtmps, TlsConfigurationError, TlsHandshakeError, type RtmpsLogEntry } from '../src/index.js';
import { eventually, within } from './helpers/deadline.js';
import { echo, startEchoServer, type EchoServer } from './helpers/echo-server.js';
import { servedCertificate } from './helpers/served-certificate.js';
import { tempDir } from './helpers/temp-dir.js';

/** Resolves with the error of a raw TLS connection, or 'connected'. */
function tlsAttempt(port: number, options: ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Plain TCP to the listener that writes `bytes` (if any); `closed` resolves when the server closes it. */
function rawTcp(port: number, bytes?: Buffer): { socket: Socket; connected: Promise<number>; closed: Promise<void> } {
  const socket = tcpConnect({ host: '127.0.0.1', port });
  const connected = new Promise<number>((resolve) =>
    socket.once('connect', () => {
      if (bytes) socket.write(bytes);
      resolve(socket.localPort!);
    }),
  );
  socket.on('error', () => {});
  socket.resume();
  return { socket, connected, closed: new Promise((resolve) => socket.on('close', () => resolve())) };
}

/** C0 and C1 as a plain RTMP client sends them. */
function rtmpC0C1(): Buffer {
  const bytes = Buffer.alloc(1537);
  bytes[0] = 3;
  for (let i = 9; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  return bytes;
}

describe('the RTMPS listener', () => {
  const cleanUps: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });
  async function start(...args: Parameters<typeof startEchoServer>): Promise<EchoServer> {
    const server = await startEchoServer(...args);
    cleanUps.push(() => server.close());
    return server;
  }
  async function plainCertificate() {
    return createDevelopmentCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'] });
  }

  describe('without a certificate: the development certificate', () => {
    it('is made, cached in the given directory and logged; a client trusting that file connects; the next listener reuses it', async () => {
      const dir = tempDir('dev');
      cleanUps.push(() => dir.remove());
      const server = await start({ developmentCertificate: { directory: dir.path, hostnames: ['media.test'] } });
      const [entry] = server.logs as [RtmpsLogEntry];
      const certFile = `${dir.path}/development-cert.pem`;
      expect(entry.level).toBe('warn');
      expect(entry.message).toMatch(new RegExp(`^rtmps: no certificate configured; made a new self-signed development certificate \\(there was none yet\\) at ${certFile}, valid until \\S+ for localhost, media\\.test, 127\\.0\\.0\\.1, ::1\\. Clients must trust that file`));
      expect(entry.details).toMatchObject({ certFile, hostnames: ['localhost', 'media.test'], ips: ['127.0.0.1', '::1'] });

      const served = await servedCertificate(server.port);
      expect(served.fingerprint256).toBe(new X509Certificate(readFileSync(certFile)).fingerprint256);
      const session = await rtmps({ ca: readFileSync(certFile) }).connect(server.url);
      expect(await echo(session, 'dev')).toBe('dev');
      await session.close();

      const again = await start({ developmentCertificate: { directory: dir.path, hostnames: ['media.test'] } });
      expect(again.logs[0]!.message).toContain('reusing the cached self-signed development certificate');
      expect((await servedCertificate(again.port)).fingerprint256).toBe(served.fingerprint256);
    });

    it('is not made with developmentCertificate: false: listen asks for a certificate', async () => {
      const error = await rtmps({ developmentCertificate: false }).listen({ host: '127.0.0.1', port: 0 }).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect((error as TlsConfigurationError).code).toBe('ERR_RTMPS_CONFIGURATION');
      expect((error as Error).message).toContain('give `certificate: { certFile, keyFile }`');
    });
  });

  it('listen names a certificate file it cannot read, and a certificate that is not PEM', async () => {
    await expect(rtmps({ certificate: { certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' } }).listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow(
      /^cannot read the (certificate|key) file \/nonexistent\/(cert|key)\.pem: ENOENT/,
    );
    await expect(rtmps({ certificate: { cert: 'nonsense', key: 'nonsense' } }).listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow(
      /^in-memory certificate: the certificate is not a PEM certificate/,
    );
  });

  describe('TLS versions', () => {
    const legacy = { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

    it('refuses a client that offers only TLS 1.1 (and says so), and serves the same client offering TLS 1.2', async () => {
      const certificate = await plainCertificate();
      const server = await start({ certificate });
      expect(await tlsAttempt(server.port, { ...legacy, maxVersion: 'TLSv1.1' })).toMatch(/ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS/);
      await eventually(() => server.connectionErrors.length > 0, 3000, 'the server reporting the old client');
      const error = server.connectionErrors[0]!.error as TlsHandshakeError;
      expect(error).toBeInstanceOf(TlsHandshakeError);
      expect(error.message).toContain("the client offers only TLS versions below this server's minimum (TLS 1.2)");
      expect(await tlsAttempt(server.port, { ...legacy, maxVersion: 'TLSv1.2' })).toBe('connected');
    });

    it('serverMinVersion TLSv1.3 refuses a TLS 1.2 client', async () => {
      const server = await start({ certificate: await plainCertificate(), serverMinVersion: 'TLSv1.3' });
      expect(await tlsAttempt(server.port, { maxVersion: 'TLSv1.2' })).not.toBe('connected');
      expect(await tlsAttempt(server.port, { maxVersion: 'TLSv1.3' })).toBe('connected');
    });

    it('our client refuses a server that speaks only TLS 1.1', async () => {
      const certificate = await plainCertificate();
      const old = createTlsServer({ ...certificate, ...legacy, maxVersion: 'TLSv1.1' });
      await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
      cleanUps.push(() => new Promise((resolve) => old.close(resolve)));
      const { port } = old.address() as { port: number };
      const error = await rtmps({ insecureSkipVerify: true }).connect(`rtmps://127.0.0.1:${port}/live`).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TlsHandshakeError);
      expect((error as Error).message).toBe(
        `the server at 127.0.0.1:${port} and this client have no TLS version in common (this client accepts TLS 1.2 or later, minVersion) (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)`,
      );
    });
  });

  describe('connections that are not TLS', () => {
    it('are closed with a TlsHandshakeError that says what came (HTTP, plain RTMP), and a connected session goes on', async () => {
      const certificate = await plainCertificate();
      const server = await start({ certificate });
      const session = await rtmps({ ca: certificate.cert }).connect(server.url);

      const http = rawTcp(server.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      await within(http.closed, 3000, 'the server closing the HTTP client');
      const plainRtmp = rawTcp(server.port, rtmpC0C1());
      await within(plainRtmp.closed, 3000, 'the server closing the plain RTMP client');

      await eventually(() => server.connectionErrors.length >= 2, 3000, 'two connection errors');
      const [first, second] = server.connectionErrors.map((entry) => entry.error as TlsHandshakeError);
      expect(first).toBeInstanceOf(TlsHandshakeError);
      expect(first!.message).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed: the client sent an HTTP request, not a TLS handshake/);
      expect(first!.tlsCode).toBe('ERR_SSL_HTTP_REQUEST');
      expect(second!.message).toContain('the client did not start a TLS handshake: it sent something else (plain RTMP?');
      expect(server.connectionErrors.map((entry) => entry.port)).toEqual([await http.connected, await plainRtmp.connected]);

      expect(await echo(session, 'unaffected')).toBe('unaffected');
      expect(server.sessions).toHaveLength(1);
      await session.close();
    });

    it('a client that opens TCP and says nothing is dropped after timeouts.handshake', async () => {
      const server = await start({ certificate: await plainCertificate() }, { timeouts: { handshake: 400 } });
      const silent = rawTcp(server.port);
      const started = Date.now();
      await within(silent.closed, 3000, 'the server closing the silent client');
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      await eventually(() => server.connectionErrors.length > 0, 1000, 'the timeout reported');
      expect((server.connectionErrors[0]!.error as Error).message).toContain('the client did not finish the TLS handshake within 400 ms (timeouts.handshake)');
    });

    it('close() does not wait for connections still in their TLS handshake', async () => {
      const server = await startEchoServer({ certificate: await plainCertificate() }, { timeouts: { handshake: 30_000 } });
      const silent = rawTcp(server.port);
      await silent.connected;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await within(server.close(), 2000, 'close() with a connection in its TLS handshake');
      await within(silent.closed, 1000, 'the silent client closed');
    });
  });
});
