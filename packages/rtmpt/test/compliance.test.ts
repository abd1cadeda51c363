import { describeTransportCompliance, type ComplianceSetup } from '@rtmpkit/compliance';
import type { Listener } from '@rtmpkit/core';
import { rtmpt, rtmpts } from '../src/index.js';
import { rawOpen, rawRequest } from './helpers/raw-http.js';
import { runCertificateTests, selfSignedCertificate } from './helpers/self-signed.js';

/** A sequence number far beyond any reorder window: the server answers 400 while the tunnel lives, 404 once it is gone. */
const PROBE_SEQ = 999_999_999_999;

/**
 * "Below RTMP" for RTMPT is one tunnel session: open it, post the bytes, then either keep polling
 * (the client stays) or stop (hangs up), and resolve once the server has closed the tunnel.
 */
async function sendRaw(listener: Listener, bytes: Buffer, options: { hangUp?: boolean; secure?: boolean } = {}): Promise<void> {
  const port = listener.address.port;
  const secure = options.secure ?? false;
  const id = await rawOpen(port, secure);
  const sent = await rawRequest(port, `/send/${id}/0`, { body: bytes, secure });
  if (sent.status !== 200 || sent.body[0] === 0) return;
  const deadline = Date.now() + 10_000;
  for (let seq = 1; Date.now() < deadline; seq++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reply = await rawRequest(port, `/idle/${id}/${options.hangUp ? PROBE_SEQ : seq}`, { secure });
    if (reply.status === 404 || (reply.status === 200 && reply.body[0] === 0)) return;
  }
  throw new Error('the server kept a garbage tunnel open for 10 s');
}

function plainSetup(): ComplianceSetup {
  return {
    name: 'rtmpt over HTTP',
    server: () => rtmpt(),
    client: () => rtmpt(),
    listenOptions: { host: '127.0.0.1', port: 0, timeouts: { handshake: 2000 } },
    url: (listener, app) => `rtmpt://127.0.0.1:${listener.address.port}/${app}`,
    sendRaw,
  };
}

describeTransportCompliance(plainSetup());

if (runCertificateTests) {
  const certificate = selfSignedCertificate();
  describeTransportCompliance({
    name: 'rtmpts over HTTPS',
    server: () => rtmpts({ tls: certificate }),
    client: () => rtmpts({ client: { tls: { ca: certificate.cert } } }),
    listenOptions: { host: '127.0.0.1', port: 0, timeouts: { handshake: 2000 } },
    url: (listener, app) => `rtmpts://127.0.0.1:${listener.address.port}/${app}`,
    sendRaw: (listener, bytes, options) => sendRaw(listener, bytes, { ...options, secure: true }),
  });
}
