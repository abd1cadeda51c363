import { describeTransportCompliance, type ComplianceSetup } from '@rtmpkit/compliance';
import { afterAll } from 'vitest';
import { loadOrCreateDevelopmentCertificate, rtmps, type RtmpsClientTlsOptions } from '../src/index.js';
import { sendRaw } from './helpers/raw-tcp.js';
import { tempDir } from './helpers/temp-dir.js';

// The listeners make no certificate of their own here: they serve the development certificate of
// this directory, which is made up front so the IPv4 client can trust it as its `ca`.
const cache = tempDir('compliance');
afterAll(() => cache.remove());
const development = await loadOrCreateDevelopmentCertificate({ directory: cache.path, hostnames: ['localhost'], ips: ['127.0.0.1', '::1'] });

function setup(host: string, family: string, clientTls: RtmpsClientTlsOptions): ComplianceSetup {
  return {
    name: `rtmps over ${family} (${clientTls.ca ? 'development certificate trusted as ca' : 'insecureSkipVerify'})`,
    server: () => rtmps({ developmentCertificate: { directory: cache.path } }),
    client: () => rtmps(clientTls),
    listenOptions: { host, port: 0, timeouts: { handshake: 2000 } },
    url: (listener, app) => `rtmps://${host.includes(':') ? `[${host}]` : host}:${listener.address.port}/${app}`,
    sendRaw,
  };
}

describeTransportCompliance(setup('127.0.0.1', 'IPv4', { ca: development.cert }));
describeTransportCompliance(setup('::1', 'IPv6', { insecureSkipVerify: true }));
