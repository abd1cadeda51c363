import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevelopmentCertificate, defaultDevelopmentCertificateDirectory, loadOrCreateDevelopmentCertificate } from '../src/index.js';
import { tempDir } from './helpers/temp-dir.js';

describe('the development certificate cache', () => {
  const dirs: Array<{ remove(): void }> = [];
  const fresh = (): string => {
    const dir = tempDir('cache');
    dirs.push(dir);
    return dir.path;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));
  const loopback = { hostnames: ['localhost'], ips: ['127.0.0.1', '::1'] };

  it('makes one the first time (key readable by the user only), then reuses it', async () => {
    const directory = fresh();
    const first = await loadOrCreateDevelopmentCertificate({ directory, ...loopback });
    expect(first.createdBecause).toBe('there was none yet');
    expect(first.certFile).toBe(join(directory, 'development-cert.pem'));
    expect(readFileSync(first.certFile, 'utf8')).toBe(first.cert);
    expect(readFileSync(first.keyFile, 'utf8')).toBe(first.key);
    expect(statSync(first.keyFile).mode & 0o777).toBe(0o600);

    const second = await loadOrCreateDevelopmentCertificate({ directory, ...loopback });
    expect(second.createdBecause).toBeUndefined();
    expect(second.cert).toBe(first.cert);
    expect(second.ips).toEqual(['127.0.0.1', '::1']);
  });

  it('makes a new one covering the old names and the new ones when a name is missing', async () => {
    const directory = fresh();
    const first = await loadOrCreateDevelopmentCertificate({ directory, ...loopback });
    const wider = await loadOrCreateDevelopmentCertificate({ directory, hostnames: ['media.test'], ips: ['127.0.0.2'] });
    expect(wider.createdBecause).toBe('the cached one did not cover media.test, 127.0.0.2');
    expect(wider.cert).not.toBe(first.cert);
    const x509 = new X509Certificate(wider.cert);
    for (const name of ['localhost', 'media.test']) expect(x509.checkHost(name)).toBe(name);
    for (const ip of ['127.0.0.1', '::1', '127.0.0.2']) expect(x509.checkIP(ip)).toBe(ip);
    // Both sets are covered now: either request reuses it.
    expect((await loadOrCreateDevelopmentCertificate({ directory, ...loopback })).createdBecause).toBeUndefined();
  });

  it('renews one that nears expiry', async () => {
    const directory = fresh();
    const first = await loadOrCreateDevelopmentCertificate({ directory, ...loopback });
    const old = await createDevelopmentCertificate({ ...loopback, days: 90, validFrom: new Date(Date.now() - 88 * 86_400_000) });
    writeFileSync(first.certFile, old.cert);
    writeFileSync(first.keyFile, old.key);
    const renewed = await loadOrCreateDevelopmentCertificate({ directory, ...loopback, days: 30 });
    expect(renewed.createdBecause).toMatch(/^the cached one expires on /);
    expect(renewed.notAfter.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(readFileSync(first.certFile, 'utf8')).toBe(renewed.cert);
  });

  it('replaces files that do not form a certificate and its key', async () => {
    const directory = fresh();
    const first = await loadOrCreateDevelopmentCertificate({ directory, ...loopback });
    const other = await createDevelopmentCertificate(loopback);
    writeFileSync(first.keyFile, other.key);
    expect((await loadOrCreateDevelopmentCertificate({ directory, ...loopback })).createdBecause).toBe('the cached key did not match the cached certificate');
    writeFileSync(first.certFile, 'not a certificate');
    expect((await loadOrCreateDevelopmentCertificate({ directory, ...loopback })).createdBecause).toBe('the cached files could not be read as a certificate and key');
  });

  it('lives in $XDG_CACHE_HOME/rtmpkit, or ~/.cache/rtmpkit', () => {
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = '/somewhere/cache';
      expect(defaultDevelopmentCertificateDirectory()).toBe('/somewhere/cache/rtmpkit');
      delete process.env.XDG_CACHE_HOME;
      expect(defaultDevelopmentCertificateDirectory()).toBe(join(homedir(), '.cache', 'rtmpkit'));
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});
