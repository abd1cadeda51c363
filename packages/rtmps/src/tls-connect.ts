import { isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { AbortedError, TimeoutError } from '@rtmpkit/core';
import { clientTlsError } from './client-tls-errors.js';

/** TLS settings of an RTMPS client. */
export interface RtmpsClientTlsOptions {
  /**
   * Certificates to trust instead of Node's bundled CA list (plus `NODE_EXTRA_CA_CERTS`): a
   * self-signed server certificate, or a private CA. PEM text or buffers.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * The name sent in SNI and checked against the certificate. Default: the URL's host when it is
   * a name (an IP address is checked against the certificate's IP entries, and no SNI is sent).
   */
  servername?: string;
  /**
   * Accept any certificate: self-signed, expired, for another name. The connection is encrypted
   * but anyone in the middle can read and change it. For tests and local setups only.
   */
  insecureSkipVerify?: boolean;
  /** Lowest TLS version accepted. Default `TLSv1.2`. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

export interface TlsConnectRequest extends RtmpsClientTlsOptions {
  host: string;
  port: number;
  /** Deadline of the TCP connect and TLS handshake together, in ms (0: none). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Opens a TCP connection and completes the TLS handshake, verifying the server's certificate
 * unless `insecureSkipVerify`. Rejects with `TlsCertificateError`, `TlsHandshakeError`,
 * `TimeoutError` (`handshake`), `AbortedError`, or the socket error when nothing listens.
 */
export function openTls(request: TlsConnectRequest): Promise<TLSSocket> {
  const { host, port, timeoutMs, signal } = request;
  const servername = request.servername ?? (isIP(host) === 0 ? host : undefined);
  const target = { host, port, checkedName: servername ?? host };
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('connect was aborted', { cause: signal.reason }));
      return;
    }
    const socket = tlsConnect({
      host,
      port,
      servername,
      ca: request.ca,
      // Verified below, on 'secureConnect', where the peer's certificate can still be read for the
      // error message (its dates, its names); nothing is written before that check passes.
      rejectUnauthorized: false,
      minVersion: request.minVersion ?? 'TLSv1.2',
    });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => fail(new TimeoutError('handshake', timeoutMs, `no TLS connection to ${host}:${port} within ${timeoutMs} ms (timeouts.handshake)`)), timeoutMs)
        : undefined;
    const onAbort = (): void => fail(new AbortedError('connect was aborted', { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanUp = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('secureConnect', onSecure);
    };
    function fail(error: Error): void {
      cleanUp();
      socket.on('error', () => {}); // whatever the destroyed socket still reports, the caller already has `error`
      socket.destroy();
      reject(error);
    }
    function onError(error: NodeJS.ErrnoException & { cert?: PeerCertificate }): void {
      fail(clientTlsError(error, target, error.cert));
    }
    function onSecure(): void {
      if (request.insecureSkipVerify !== true && !socket.authorized) {
        const reason = socket.authorizationError as unknown as string | Error | null;
        const code = typeof reason === 'string' ? reason : (reason as NodeJS.ErrnoException | null)?.code ?? 'CERT_UNTRUSTED';
        const failure = Object.assign(new Error(`certificate verification failed: ${code}`), { code });
        fail(clientTlsError(failure, target, socket.getPeerCertificate()));
        return;
      }
      cleanUp();
      resolve(socket);
    }
    socket.once('secureConnect', onSecure);
    socket.on('error', onError);
  });
}
