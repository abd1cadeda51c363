import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';

/**
 * The certificate a TLS server on 127.0.0.1:`port` presents for `servername` (none: no SNI),
 * read from a handshake that does not verify it.
 */
export function servedCertificate(port: number, servername?: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const { raw } = socket.getPeerCertificate();
      socket.destroy();
      resolve(new X509Certificate(raw));
    });
    socket.on('error', reject);
  });
}
