import { RtmpError } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../harness.js';
import type { ComplianceSetup } from '../setup.js';

/** connect, accept, reject, orderly close. */
export function connectionSuite(setup: ComplianceSetup): void {
  describe('connection', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('connects, and the server sees what the client sent', async () => {
      server = await startServer(setup);
      const client = await server.connect('live', { command: { flashVer: 'rtmpkit-compliance/1' } });
      const serverSession = await server.session(0);
      expect(client.state).toBe('connected');
      expect(client.role).toBe('client');
      expect(serverSession.role).toBe('server');
      expect(serverSession.connectInfo.app).toBe('live');
      expect(serverSession.connectInfo.tcUrl).toContain('/live');
      expect(serverSession.connectInfo.flashVer).toBe('rtmpkit-compliance/1');
    });

    it('passes objectEncoding 3 through', async () => {
      server = await startServer(setup);
      const client = await server.connect('live', { objectEncoding: 3 });
      const serverSession = await server.session(0);
      expect(serverSession.connectInfo.objectEncoding).toBe(3);
      const answer = await client.call('echo', [{ nested: [1, 'two'] }]).catch((error: unknown) => error);
      // No handler: the call fails cleanly and the session stays up.
      expect(RtmpError.isInstance(answer)).toBe(true);
      expect(client.state).toBe('connected');
    });

    it('a rejected connect fails with a typed error that carries the reason', async () => {
      server = await startServer(setup, async (incoming) => {
        await incoming.reject('no such application');
      });
      const error = await server.connect('nope').catch((caught: unknown) => caught);
      expect(RtmpError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/no such application|Rejected/);
    });

    it('several clients connect at once', async () => {
      server = await startServer(setup);
      const clients = await Promise.all([1, 2, 3, 4, 5].map(() => server!.connect()));
      expect(clients.every((client) => client.state === 'connected')).toBe(true);
      await server.session(4);
      expect(server.sessions).toHaveLength(5);
    });

    it('an orderly close ends both sides without an error', async () => {
      server = await startServer(setup);
      const client = await server.connect();
      const serverSession = await server.session(0);
      await client.close();
      await serverSession.closed;
      await client.closed;
      expect(client.state).toBe('closed');
      expect(serverSession.state).toBe('closed');
      expect(client.closeError).toBeUndefined();
    });

    it('a server-side close reaches the client', async () => {
      server = await startServer(setup);
      const client = await server.connect();
      const serverSession = await server.session(0);
      await serverSession.close();
      await client.closed;
      expect(client.state).toBe('closed');
    });
  });
}
