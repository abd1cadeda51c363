import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createServer, connect, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createDevelopmentCertificate } from '../src/index.js';

/** Serves `cert`/`key` on 127.0.0.1 and connects once to it trusting `cert`, as `servername` (or by IP). */
async function handshake(cert: string, key: string, servername: string | undefined, host = '127.0.0.1'): Promise<{ authorized: boolean; error?: string }> {
  const server = createServer({ cert, key });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve) => {
      const socket: TLSSocket = connect({ host, port, servername, ca: cert }, () => {
        resolve({ authorized: socket.authorized });
        socket.destroy();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve({ authorized: false, error: error.code }));
    });
  } finally {
    server.close();
  }
}

describe('createDevelopmentCertificate', () => {
  it('makes an RSA 2048, SHA-256, non-CA server certificate for localhost, 127.0.0.1 and ::1 by default, valid 90 days', async () => {
    const made = await createDevelopmentCertificate();
    const x509 = new X509Certificate(made.cert);
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa');
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.ca).toBe(false);
    expect(x509.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage: serverAuth
    const days = (made.notAfter.getTime() - made.notBefore.getTime()) / 86_400_000;
    expect(days).toBe(90);
    expect(made.notBefore.getTime()).toBeLessThanOrEqual(Date.now());
    expect(made.fingerprint256).toBe(x509.fingerprint256);
    expect(made.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('lists the given names and addresses (IPv6 in any spelling), and a TLS client trusting it accepts each of them', async () => {
    const made = await createDevelopmentCertificate({ hostnames: ['Media.Example.test', 'localhost'], ips: ['127.0.0.1', '0:0:0:0:0:0:0:1'], days: 3 });
    expect(made.hostnames).toEqual(['media.example.test', 'localhost']);
    expect(made.ips).toEqual(['127.0.0.1', '::1']);
    expect(await handshake(made.cert, made.key, 'media.example.test')).toEqual({ authorized: true });
    expect(await handshake(made.cert, made.key, 'localhost')).toEqual({ authorized: true });
    expect(await handshake(made.cert, made.key, undefined)).toEqual({ authorized: true });
    expect(await handshake(made.cert, made.key, undefined, '::1')).toEqual({ authorized: true });
    expect(await handshake(made.cert, made.key, 'other.example.test')).toMatchObject({ error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('starts at validFrom, so a test can make an expired one', async () => {
    const made = await createDevelopmentCertificate({ days: 1, validFrom: new Date(Date.now() - 10 * 86_400_000) });
    expect(made.notAfter.getTime()).toBeLessThan(Date.now());
    expect(await handshake(made.cert, made.key, 'localhost')).toMatchObject({ error: 'CERT_HAS_EXPIRED' });
  });

  it('gives each certificate its own key and a positive random serial', async () => {
    const [a, b] = await Promise.all([createDevelopmentCertificate(), createDevelopmentCertificate()]);
    expect(a.key).not.toBe(b.key);
    const serials = [a, b].map((made) => new X509Certificate(made.cert).serialNumber);
    expect(serials[0]).not.toBe(serials[1]);
    for (const serial of serials) expect(Number.parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
  });

  it('refuses what a certificate cannot hold', async () => {
    await expect(createDevelopmentCertificate({ ips: ['localhost'] })).rejects.toThrow(/not an IP address/);
    await expect(createDevelopmentCertificate({ hostnames: ['bad name'] })).rejects.toThrow(/not a host name/);
    await expect(createDevelopmentCertificate({ hostnames: [], ips: [] })).rejects.toThrow(/at least one/);
    await expect(createDevelopmentCertificate({ days: 0 })).rejects.toThrow(RangeError);
  });
});
