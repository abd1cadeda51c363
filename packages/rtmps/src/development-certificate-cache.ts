import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentCertificate } from './development-certificate.js';
import { canonicalIp } from './served-names.js';

/** Where the development certificate is kept unless told otherwise. */
export function defaultDevelopmentCertificateDirectory(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'rtmpkit');
}

export interface CachedCertificateRequest {
  /** Default: `defaultDevelopmentCertificateDirectory()` (`$XDG_CACHE_HOME/rtmpkit` or `~/.cache/rtmpkit`). */
  directory?: string;
  hostnames: string[];
  ips: string[];
  /** Validity of a new certificate. Default 90 days. */
  days?: number;
}

/** The development certificate in use, and whether it was just made (and why). */
export interface CachedDevelopmentCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  notAfter: Date;
  hostnames: string[];
  ips: string[];
  /** Undefined when the cached one was reused; else why a new one was made. */
  createdBecause?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Renew when less than 7 days, or a quarter of the validity, is left (whichever is shorter). */
function nearsExpiry(x509: X509Certificate, now: number): boolean {
  const from = new Date(x509.validFrom).getTime();
  const to = new Date(x509.validTo).getTime();
  return to - now < Math.min(7 * DAY_MS, (to - from) / 4) || from > now;
}

function namesOf(x509: X509Certificate): { hostnames: string[]; ips: string[] } {
  const entries = (x509.subjectAltName ?? '').split(/,\s*/);
  return {
    hostnames: entries.filter((entry) => entry.startsWith('DNS:')).map((entry) => entry.slice(4)),
    ips: entries.filter((entry) => entry.startsWith('IP Address:')).map((entry) => canonicalIp(entry.slice(11))),
  };
}

type Cached = { x509: X509Certificate; cert: string; key: string } | { problem: string };

async function readCached(certFile: string, keyFile: string): Promise<Cached> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch {
    return { problem: 'there was none yet' };
  }
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return { problem: 'the cached key did not match the cached certificate' };
    return { x509, cert, key };
  } catch {
    return { problem: 'the cached files could not be read as a certificate and key' };
  }
}

async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, text, { mode });
  await rename(partial, file);
}

/**
 * The cached development certificate of `directory` (`development-cert.pem` and
 * `development-key.pem`) when it covers every name and is not near expiry; else a new one, for
 * those names and the cached one's, written there (the key readable by this user only).
 */
export async function loadOrCreateDevelopmentCertificate(request: CachedCertificateRequest): Promise<CachedDevelopmentCertificate> {
  const directory = request.directory ?? defaultDevelopmentCertificateDirectory();
  const certFile = join(directory, 'development-cert.pem');
  const keyFile = join(directory, 'development-key.pem');
  const cached = await readCached(certFile, keyFile);
  let hostnames = request.hostnames;
  let ips = request.ips;
  let reason: string;
  if ('problem' in cached) {
    reason = cached.problem;
  } else {
    const missing = [
      ...request.hostnames.filter((name) => cached.x509.checkHost(name, { wildcards: false, subject: 'never' }) === undefined),
      ...request.ips.filter((ip) => cached.x509.checkIP(ip) === undefined),
    ];
    if (missing.length === 0 && !nearsExpiry(cached.x509, Date.now())) {
      const names = namesOf(cached.x509);
      return { cert: cached.cert, key: cached.key, certFile, keyFile, notAfter: new Date(cached.x509.validTo), ...names };
    }
    reason = missing.length > 0 ? `the cached one did not cover ${missing.join(', ')}` : `the cached one expires on ${cached.x509.validTo}`;
    const old = namesOf(cached.x509);
    hostnames = [...new Set([...request.hostnames, ...old.hostnames])];
    ips = [...new Set([...request.ips, ...old.ips])];
  }
  const made = await createDevelopmentCertificate({ hostnames, ips, days: request.days });
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await writeAtomically(keyFile, made.key, 0o600);
  await writeAtomically(certFile, made.cert, 0o644);
  return { cert: made.cert, key: made.key, certFile, keyFile, notAfter: made.notAfter, hostnames: made.hostnames, ips: made.ips, createdBecause: reason };
}
