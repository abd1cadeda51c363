import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '@rtmpkit/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDevelopmentCertificate, rtmps, TlsConfigurationError, type DevelopmentCertificate } from '../src/index.js';
import { eventually } from './helpers/deadline.js';
import { echo, startEchoServer, type EchoServer } from './helpers/echo-server.js';
import { servedCertificate } from './helpers/served-certificate.js';
import { tempDir } from './helpers/temp-dir.js';

describe('certificate reload without restart', () => {
  let first: DevelopmentCertificate;
  let second: DevelopmentCertificate;
  let third: DevelopmentCertificate;
  const cleanUps: Array<() => unknown> = [];

  beforeAll(async () => {
    [first, second, third] = await Promise.all([1, 2, 3].map(() => createDevelopmentCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'] })));
  });

  afterEach(async () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });

  /** Certificate files in a temp dir, holding `certificate`; `write` replaces them in place, `swap` by rename. */
  function certificateFiles(certificate: DevelopmentCertificate) {
    const dir = tempDir('reload');
    cleanUps.push(() => dir.remove());
    const certFile = join(dir.path, 'cert.pem');
    const keyFile = join(dir.path, 'key.pem');
    const write = (next: { cert: string; key: string }) => {
      writeFileSync(certFile, next.cert);
      writeFileSync(keyFile, next.key);
    };
    const swap = (next: { cert: string; key: string }) => {
      writeFileSync(`${certFile}.new`, next.cert);
      writeFileSync(`${keyFile}.new`, next.key);
      renameSync(`${keyFile}.new`, keyFile);
      renameSync(`${certFile}.new`, certFile);
    };
    write(certificate);
    return { certFile, keyFile, write, swap };
  }

  async function start(options: Parameters<typeof startEchoServer>[0]): Promise<EchoServer> {
    const server = await startEchoServer(options);
    cleanUps.push(() => server.close());
    return server;
  }

  async function connectTrusting(server: EchoServer, certificate: DevelopmentCertificate): Promise<Session> {
    return rtmps({ ca: certificate.cert }).connect(server.url);
  }

  it('reloadCertificates(): new connections get the new certificate, a connection made before goes on', async () => {
    const files = certificateFiles(first);
    const server = await start({ certificate: { certFile: files.certFile, keyFile: files.keyFile } });
    const before = await connectTrusting(server, first);
    expect(await echo(before, 'before')).toBe('before');

    files.write(second);
    expect((await servedCertificate(server.port)).fingerprint256).toBe(first.fingerprint256); // nothing happens by itself
    await server.listener.reloadCertificates();

    expect((await servedCertificate(server.port)).fingerprint256).toBe(second.fingerprint256);
    await expect(connectTrusting(server, first)).rejects.toMatchObject({ code: 'ERR_RTMPS_CERTIFICATE', problem: 'self-signed' });
    const after = await connectTrusting(server, second);
    expect(await echo(after, 'after')).toBe('after');
    expect(await echo(before, 'still here')).toBe('still here');
    expect(before.state).toBe('connected');
    expect(server.logs.map((entry) => entry.message)).toContain('rtmps: certificates reloaded; new connections get them');
    await Promise.all([before.close(), after.close()]);
  });

  it('a reload that fails (key of another certificate) rejects, logs, and keeps serving the certificate it had', async () => {
    const files = certificateFiles(first);
    const server = await start({ certificate: { certFile: files.certFile, keyFile: files.keyFile } });
    files.write({ cert: second.cert, key: third.key });
    const error = await server.listener.reloadCertificates().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TlsConfigurationError);
    expect((error as Error).message).toBe(`${files.certFile} / ${files.keyFile}: the key does not belong to the certificate (key values mismatch)`);
    expect(server.logs.at(-1)).toMatchObject({ level: 'error', message: expect.stringContaining('certificates not reloaded, the previous ones stay in use') });
    expect((await servedCertificate(server.port)).fingerprint256).toBe(first.fingerprint256);
    const session = await connectTrusting(server, first);
    expect(await echo(session, 'old one')).toBe('old one');
    await session.close();
  });

  it('reloadCertificates(update) takes a new configuration (in-memory certificates and SNI)', async () => {
    const server = await start({ certificate: { cert: first.cert, key: first.key } });
    await server.listener.reloadCertificates({ certificate: { cert: second.cert, key: second.key }, sni: { 'third.test': { cert: third.cert, key: third.key } } });
    expect((await servedCertificate(server.port)).fingerprint256).toBe(second.fingerprint256);
    expect((await servedCertificate(server.port, 'third.test')).fingerprint256).toBe(third.fingerprint256);
  });

  it('watchCertificates: a change of the files, in place or by rename, is served to new connections; a connection made before goes on', async () => {
    const files = certificateFiles(first);
    const server = await start({ certificate: { certFile: files.certFile, keyFile: files.keyFile }, watchCertificates: { intervalMs: 100 } });
    const before = await connectTrusting(server, first);

    files.write(second);
    await eventually(async () => (await servedCertificate(server.port)).fingerprint256 === second.fingerprint256, 5000, 'the rewritten certificate served');
    files.swap(third);
    await eventually(async () => (await servedCertificate(server.port)).fingerprint256 === third.fingerprint256, 5000, 'the renamed certificate served');

    const after = await connectTrusting(server, third);
    expect(await echo(after, 'new')).toBe('new');
    expect(await echo(before, 'old')).toBe('old');
    await Promise.all([before.close(), after.close()]);
  });
});
