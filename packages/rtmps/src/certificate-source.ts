import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { TlsConfigurationError } from './errors.js';

/** A certificate (PEM, leaf first, then intermediates) and its private key (PEM), in memory. */
export interface PemCertificate {
  cert: string | Buffer;
  key: string | Buffer;
  /** For an encrypted key. */
  passphrase?: string;
}

/** A certificate chain file and its key file (PEM), read again by `reloadCertificates()`. */
export interface CertificateFiles {
  certFile: string;
  keyFile: string;
  /** For an encrypted key. */
  passphrase?: string;
}

/** A server certificate: PEM in memory, or PEM files. */
export type CertificateSource = PemCertificate | CertificateFiles;

/** A source read, checked and made into a secure context. */
export interface LoadedCertificate {
  /** What `tls.createSecureContext` / `server.setSecureContext` took. */
  options: SecureContextOptions;
  context: SecureContext;
  /** The leaf certificate. */
  x509: X509Certificate;
  /** For messages: the files, or "in-memory certificate". */
  label: string;
}

/** The files of a source (empty for one in memory). */
export function filesOf(source: CertificateSource): string[] {
  return 'certFile' in source ? [source.certFile, source.keyFile] : [];
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new TlsConfigurationError(`cannot read the ${what} file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads a certificate source and checks that the key belongs to the certificate, with
 * `extra` options (minVersion...) in the context. Rejects with `TlsConfigurationError` naming
 * the file and the problem.
 */
export async function loadCertificate(source: CertificateSource, extra: SecureContextOptions = {}): Promise<LoadedCertificate> {
  if (!source || (!('certFile' in source) && !('cert' in source))) {
    throw new TlsConfigurationError('a certificate is `{ certFile, keyFile }` (PEM files) or `{ cert, key }` (PEM text or buffers)');
  }
  const files = 'certFile' in source;
  const label = files ? `${source.certFile} / ${source.keyFile}` : 'in-memory certificate';
  const [cert, key] = files
    ? await Promise.all([readPem(source.certFile, 'certificate'), readPem(source.keyFile, 'key')])
    : [source.cert, source.key];
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new TlsConfigurationError(`${label}: the certificate is not a PEM certificate (${(error as Error).message})`, { cause: error });
  }
  const options: SecureContextOptions = { ...extra, cert, key, passphrase: source.passphrase };
  let context: SecureContext;
  try {
    context = createSecureContext(options);
  } catch (error) {
    // OpenSSL's "error:05800074:x509 certificate routines::key values mismatch" → "key values mismatch".
    const reason = (error as Error).message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, '');
    const hint = /key values mismatch/i.test(reason)
      ? 'the key does not belong to the certificate'
      : /bad decrypt|passphrase/i.test(reason)
        ? 'the key is encrypted: give the right `passphrase`'
        : 'check that both are PEM';
    throw new TlsConfigurationError(`${label}: ${hint} (${reason})`, { cause: error });
  }
  return { options, context, x509, label };
}
