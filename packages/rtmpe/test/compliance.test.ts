import { connect } from 'node:net';
import { type ComplianceSetup, describeTransportCompliance } from '@rtmpkit/compliance';
import type { Listener } from '@rtmpkit/core';
import { type RtmpeClientOptions, type RtmpeServerOptions, rtmpe } from '../src/index.js';

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

function setup(name: string, server: RtmpeServerOptions, client: RtmpeClientOptions): ComplianceSetup {
  return {
    name,
    server: () => rtmpe({ server }),
    client: () => rtmpe({ client }),
    listenOptions: { host: '127.0.0.1', port: 0, timeouts: { handshake: 3000 } },
    url: (listener, app) => `rtmpe://127.0.0.1:${listener.address.port}/${app}`,
    sendRaw,
  };
}

// The whole suite over RTMPE, with the type librtmp clients get (8), and once with Blowfish (9).
describeTransportCompliance(setup('rtmpe (type 8)', {}, {}));
describeTransportCompliance(setup('rtmpe (type 9, digest-first S1)', { serverType: 9, serverLayout: 'digest-first' }, {}));
