import { describeTransportCompliance, type ComplianceSetup } from '@rtmpkit/compliance';
import { rtmfp } from '../src/index.js';
import { sendRawUdp } from './helpers/udp.js';

function setup(host: string, family: string): ComplianceSetup {
  return {
    name: `rtmfp over ${family}`,
    server: () => rtmfp(),
    client: () => rtmfp(),
    listenOptions: { host, port: 0, timeouts: { handshake: 2000 } },
    url: (listener, app) => `rtmfp://${host.includes(':') ? `[${host}]` : host}:${listener.address.port}/${app}`,
    sendRaw: (listener, bytes) => sendRawUdp(listener, bytes),
  };
}

describeTransportCompliance(setup('127.0.0.1', 'IPv4'));
describeTransportCompliance(setup('::1', 'IPv6'));
