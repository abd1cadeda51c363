import { generateKeyPair as generateKeyPairCallback, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import type { pki } from 'node-forge';
import { canonicalIp, isDnsName } from './served-names.js';

const generateKeyPair = promisify(generateKeyPairCallback);
// node-forge is CommonJS with no named exports Node can detect, and its types declare no default.
const forge = createRequire(import.meta.url)('node-forge') as typeof import('node-forge');

/** What `createDevelopmentCertificate` makes a certificate for. */
export interface DevelopmentCertificateOptions {
  /** DNS names in the certificate. Default `['localhost']`. */
  hostnames?: string[];
  /** IP addresses (v4 or v6) in the certificate. Default `['127.0.0.1', '::1']`. */
  ips?: string[];
  /** Days of validity. Default 90. */
  days?: number;
  /** Start of validity. Default: one hour ago (so a clock a little behind still accepts it). */
  validFrom?: Date;
}

/** A self-signed certificate and its key, as PEM text. */
export interface DevelopmentCertificate {
  /** The certificate, PEM. Clients trust it by passing it as `ca`. */
  cert: string;
  /** Its RSA 2048 private key, PEM (PKCS#8, unencrypted). */
  key: string;
  notBefore: Date;
  notAfter: Date;
  hostnames: string[];
  ips: string[];
  /** SHA-256 fingerprint of the certificate (`AA:BB:…`). */
  fingerprint256: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function checkNames(hostnames: string[], ips: string[]): void {
  for (const ip of ips) {
    if (isIP(ip) === 0) throw new TypeError(`"${ip}" is not an IP address: put host names in \`hostnames\`, addresses in \`ips\``);
  }
  for (const name of hostnames) {
    if (!isDnsName(name)) {
      throw new TypeError(`"${name}" is not a host name a certificate can hold`);
    }
  }
  if (hostnames.length + ips.length === 0) throw new TypeError('a development certificate needs at least one host name or IP address');
}

/** A positive serial number of 16 random bytes, in hex, as RFC 5280 asks. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

/**
 * Makes a self-signed TLS server certificate (RSA 2048, SHA-256; node-forge signs no EC
 * certificates) for `hostnames` and `ips`, valid for `days`. For development and tests: clients
 * must trust it explicitly (`ca`), and it is not a certificate authority.
 */
export async function createDevelopmentCertificate(options: DevelopmentCertificateOptions = {}): Promise<DevelopmentCertificate> {
  const hostnames = [...new Set((options.hostnames ?? ['localhost']).map((name) => name.toLowerCase()))];
  const ips = [...new Set((options.ips ?? ['127.0.0.1', '::1']).map(canonicalIp))];
  const days = options.days ?? 90;
  if (!(days > 0)) throw new RangeError(`days must be positive, got ${days}`);
  checkNames(hostnames, ips);

  const { privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as pki.rsa.PrivateKey;
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  certificate.serialNumber = randomSerial();
  const notBefore = options.validFrom ?? new Date(Date.now() - 60 * 60 * 1000);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = new Date(notBefore.getTime() + days * DAY_MS);
  const subject = [
    { name: 'commonName', value: hostnames[0] ?? ips[0]! },
    { name: 'organizationName', value: 'rtmpkit development certificate' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...hostnames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forgeKey, forge.md.sha256.create());
  const cert = forge.pki.certificateToPem(certificate).replace(/\r\n/g, '\n');
  const x509 = new X509Certificate(cert);
  return {
    cert,
    key: privateKey,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    hostnames,
    ips,
    fingerprint256: x509.fingerprint256,
  };
}
