import { RtmpError, type RtmpErrorOptions } from '@rtmpkit/core';

/** What was wrong with the server's certificate, read from Node's TLS error code. */
export type CertificateProblem =
  | 'self-signed'
  | 'untrusted-issuer'
  | 'expired'
  | 'not-yet-valid'
  | 'hostname-mismatch'
  | 'revoked'
  | 'invalid';

/**
 * Client side: the server's certificate did not pass verification, so no RTMP byte was sent.
 * `problem` says what failed, `tlsCode` is Node's code (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`), and the message says what to do.
 */
export class TlsCertificateError extends RtmpError {
  readonly problem: CertificateProblem;
  /** Node's (OpenSSL's) error code. */
  readonly tlsCode: string;
  /** The name the certificate was checked against (the URL's host, or `servername`). */
  readonly host: string;

  constructor(problem: CertificateProblem, tlsCode: string, host: string, message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMPS_CERTIFICATE');
    this.name = 'TlsCertificateError';
    this.problem = problem;
    this.tlsCode = tlsCode;
    this.host = host;
  }
}

/**
 * The TLS handshake failed for another reason than the certificate: the peer does not speak TLS
 * (plain RTMP or HTTP on a TLS port, or the other way round), offers no common TLS version, hung
 * up or stalled. Server side it reaches `onConnectionError`; client side `connect()` rejects with it.
 */
export class TlsHandshakeError extends RtmpError {
  /** Node's (OpenSSL's) error code, when there was one. */
  readonly tlsCode: string | undefined;

  constructor(message: string, tlsCode: string | undefined, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMPS_HANDSHAKE');
    this.name = 'TlsHandshakeError';
    this.tlsCode = tlsCode;
  }
}

/**
 * Server side: a certificate or key could not be read or used (missing file, not PEM, key that
 * does not match the certificate, wrong passphrase). `listen()` and `reloadCertificates()` reject
 * with it; a failed reload keeps the certificates in use.
 */
export class TlsConfigurationError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMPS_CONFIGURATION');
    this.name = 'TlsConfigurationError';
  }
}
