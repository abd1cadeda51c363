import { connect } from 'node:net';
import { describeTransportCompliance, type ComplianceSetup } from '@rtmpkit/compliance';
import type { Listener } from '@rtmpkit/core';
import { rtmp } from '../src/index.js';

/** Writes raw bytes to the listener over TCP and resolves when the server closes the socket. */
function sendRaw(listener: Listener, bytes: Buffer, options: { hangUp?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: listener.address.address, port: listener.address.port }, () => {
      socket.write(bytes);
      if (options.hangUp) socket.destroy();
    });
    socket.on('close', () => resolve());
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
    socket.resume();
    setTimeout(() => reject(new Error('the server kept a garbage connection open for 10 s')), 10_000).unref();
  });
}

function setup(host: string, family: string): ComplianceSetup {
  return {
    name: `rtmp over ${family}`,
    server: () => rtmp(),
    client: () => rtmp(),
    listenOptions: { host, port: 0, timeouts: { handshake: 2000 } },
    url: (listener, app) => `rtmp://${host.includes(':') ? `[${host}]` : host}:${listener.address.port}/${app}`,
    sendRaw,
  };
}

describeTransportCompliance(setup('127.0.0.1', 'IPv4'));
describeTransportCompliance(setup('::1', 'IPv6'));
