import { TlsHandshakeError } from './errors.js';

/** Turns a `tlsClientError` (a connection that failed before TLS was up) into a `TlsHandshakeError` that says why. */
export function serverTlsError(error: NodeJS.ErrnoException, remote: string, handshakeTimeoutMs: number): TlsHandshakeError {
  const code = error.code ?? '';
  const from = `TLS handshake with ${remote} failed`;
  let reason: string;
  if (code === 'ERR_SSL_HTTP_REQUEST') {
    reason = 'the client sent an HTTP request, not a TLS handshake (an http:// client on the RTMPS port?)';
  } else if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
    reason = `the client did not finish the TLS handshake within ${handshakeTimeoutMs} ms (timeouts.handshake)`;
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    reason = 'the client hung up during the TLS handshake (a client that does not trust this certificate does that: give it the certificate, or its CA, to trust)';
  } else if (code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' || code === 'ERR_SSL_NO_PROTOCOLS_AVAILABLE' || code === 'ERR_SSL_VERSION_TOO_LOW') {
    reason = 'the client offers only TLS versions below this server\'s minimum (TLS 1.2)';
  } else if (/ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|DECRYPT_ERROR)/.test(code)) {
    reason = `the client refused this server's certificate (${code}): give it the certificate, or its CA, to trust, or use one it already trusts`;
  } else if (code.startsWith('ERR_SSL_')) {
    reason = 'the client did not start a TLS handshake: it sent something else (plain RTMP? It should use rtmps:// on this port, or rtmp:// on the plain RTMP port)';
  } else {
    reason = error.message;
  }
  return new TlsHandshakeError(`${from}: ${reason} (${code || 'no code'})`, code || undefined, { cause: error });
}
