import { describeTransportCompliance } from '../src/index.js';
import { memoryNetwork } from '../src/memory/memory-transport.js';

// The in-memory reference transport passes the same suites as every real one.
const network = memoryNetwork();
describeTransportCompliance({
  name: 'in-memory reference transport',
  server: () => network.transport(),
  client: () => network.transport(),
  listenOptions: { port: 0, timeouts: { handshake: 1000 } },
  url: (listener, app) => `rtmp://memory:${listener.address.port}/${app}`,
  sendRaw: (listener, bytes, options) => network.sendRaw(listener.address.port, bytes, options),
});
