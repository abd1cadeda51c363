import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../harness.js';
import type { ComplianceSetup } from '../setup.js';

/** Garbage, stalls and hang-ups end one connection with an error; the listener keeps serving. */
export function robustnessSuite(setup: ComplianceSetup): void {
  describe.skipIf(!setup.sendRaw)('robustness', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('garbage instead of a handshake is closed, and others are still served', async () => {
      server = await startServer(setup);
      await setup.sendRaw!(server.listener, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      const client = await server.connect();
      expect(client.state).toBe('connected');
    });

    it('random bytes after a valid C0 are closed, and others are still served', async () => {
      server = await startServer(setup);
      const garbage = Buffer.alloc(5000, 0xab);
      garbage[0] = 3;
      await setup.sendRaw!(server.listener, garbage, { hangUp: true });
      const client = await server.connect();
      expect(client.state).toBe('connected');
    });

    it('a client that hangs up mid-handshake does not disturb a connected one', async () => {
      server = await startServer(setup);
      const client = await server.connect();
      await setup.sendRaw!(server.listener, Buffer.from([3, 0, 0, 0, 0]), { hangUp: true });
      expect((await client.call('ping').catch(() => 'answered')) !== undefined).toBe(true);
      expect(client.state).toBe('connected');
    });
  });
}
