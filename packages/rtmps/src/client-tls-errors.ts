import type { PeerCertificate } from 'node:tls';
import { TlsCertificateError, TlsHandshakeError, type CertificateProblem } from './errors.js';

const PROBLEMS: Record<string, CertificateProblem> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-issuer',
  CERT_UNTRUSTED: 'untrusted-issuer',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
  HOSTNAME_MISMATCH: 'hostname-mismatch',
  IP_ADDRESS_MISMATCH: 'hostname-mismatch',
  CERT_REVOKED: 'revoked',
};

/** Verification codes that are about the certificate but fit none of the named problems. */
const OTHER_CERTIFICATE_CODES = new Set([
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'CERT_CHAIN_TOO_LONG',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/** Where the client connected, for messages. */
export interface TlsTarget {
  host: string;
  port: number;
  /** The name the certificate is checked against. */
  checkedName: string;
}

const TESTING_ONLY = 'or, for a test setup only, `insecureSkipVerify: true`';

function certificateMessage(problem: CertificateProblem, code: string, target: TlsTarget, peer: PeerCertificate | undefined, detail: string): string {
  const where = `the RTMPS server ${target.host}:${target.port}`;
  switch (problem) {
    case 'self-signed':
      return `${where} presented a self-signed certificate that this client does not trust (${code}). Trust it by passing it as \`ca\` (for an rtmpkit development certificate, the development-cert.pem file the server logged), ${TESTING_ONLY}.`;
    case 'untrusted-issuer':
      return `${where} presented a certificate whose issuer this client does not trust (${code}). Pass the issuing CA's certificate as \`ca\`; if the CA is public, the server must send its full chain (fullchain.pem, not cert.pem); ${TESTING_ONLY}.`;
    case 'expired':
      return `${where} presented a certificate that expired${peer?.valid_to ? ` on ${peer.valid_to}` : ''} (${code}). The server must renew it; if it looks valid, check this machine's clock.`;
    case 'not-yet-valid':
      return `${where} presented a certificate not valid before${peer?.valid_from ? ` ${peer.valid_from}` : ' now'} (${code}). Check the clocks of this machine and of the server.`;
    case 'hostname-mismatch': {
      const names = peer?.subjectaltname ? ` (it lists ${peer.subjectaltname})` : '';
      return `${where} presented a certificate that is not valid for "${target.checkedName}"${names} (${code}). Connect with a name the certificate lists, or set \`servername\` to one of them.`;
    }
    case 'revoked':
      return `${where} presented a revoked certificate (${code}). The server needs a new certificate.`;
    case 'invalid':
      return `${where} presented a certificate that failed verification (${code}: ${detail}). Check the server's certificate chain; ${TESTING_ONLY}.`;
  }
}

/**
 * Turns a TLS connect failure into what the client rejects with: a `TlsCertificateError` when
 * the certificate failed verification, a `TlsHandshakeError` when TLS itself failed, the error
 * (with a clearer message) when nothing listens.
 */
export function clientTlsError(error: NodeJS.ErrnoException, target: TlsTarget, peer?: PeerCertificate): Error {
  const code = error.code ?? '';
  const problem = PROBLEMS[code] ?? (OTHER_CERTIFICATE_CODES.has(code) ? 'invalid' : undefined);
  if (problem) {
    return new TlsCertificateError(problem, code, target.checkedName, certificateMessage(problem, code, target, peer, error.message), { cause: error });
  }
  const where = `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED') {
    error.message = `nothing accepts RTMPS connections on ${where} (is the server running, and is that its port? rtmps:// defaults to 443)`;
    return error;
  }
  if (code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' || code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' || code === 'ERR_SSL_NO_PROTOCOLS_AVAILABLE') {
    return new TlsHandshakeError(`the server at ${where} and this client have no TLS version in common (this client accepts TLS 1.2 or later, minVersion) (${code})`, code, { cause: error });
  }
  if (code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') {
    return new TlsHandshakeError(`the server at ${where} refused the TLS handshake (no common cipher or a name it does not serve: check \`servername\`) (${code})`, code, { cause: error });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('ERR_SSL_')) {
    return new TlsHandshakeError(
      `the server at ${where} did not complete a TLS handshake (${code || error.message}): is it an RTMPS port? A plain RTMP server (usually port 1935) takes rtmp:// URLs.`,
      code || undefined,
      { cause: error },
    );
  }
  return error;
}
