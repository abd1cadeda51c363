import { type ComplianceSetup, describeTransportCompliance } from '@rtmpkit/compliance';
import type { Transport } from '@rtmpkit/core';
import { rtmpt } from '@rtmpkit/rtmpt';
import { rtmpte } from '../src/index.js';
import { sendRawThroughTunnel } from './helpers/raw-tunnel.js';

function setup(name: string, server: () => Transport, client: () => Transport, scheme: 'rtmpte' | 'rtmpt'): ComplianceSetup {
  return {
    name,
    server,
    client,
    listenOptions: { host: '127.0.0.1', port: 0, timeouts: { handshake: 3000 } },
    url: (listener, app) => `${scheme}://127.0.0.1:${listener.address.port}/${app}`,
    sendRaw: sendRawThroughTunnel,
  };
}

// RTMPTE end to end: our tunnel client, RTMPE handshake (type 8), RC4, our tunnel server.
describeTransportCompliance(setup('rtmpte', () => rtmpte(), () => rtmpte(), 'rtmpte'));
// The same with Blowfish (type 9) and the digest-first S1 layout.
describeTransportCompliance(
  setup('rtmpte (type 9, digest-first S1)', () => rtmpte({ server: { serverType: 9, serverLayout: 'digest-first' } }), () => rtmpte(), 'rtmpte'),
);
// The combined server (RTMPTE and RTMPT on one port) with a plain RTMPT client.
describeTransportCompliance(setup('rtmpt client on an rtmpte server with acceptPlain', () => rtmpte({ server: { acceptPlain: true } }), () => rtmpt(), 'rtmpt'));
