import { RtmpError } from '@rtmpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../harness.js';
import type { ComplianceSetup } from '../setup.js';

/** Remote procedure calls in both directions. */
export function callSuite(setup: ComplianceSetup): void {
  describe('calls', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('client calls server and gets the result', async () => {
      server = await startServer(setup, async (incoming) => {
        const session = await incoming.accept();
        session.handle('add', (args) => (args[0] as number) + (args[1] as number));
        return session;
      });
      const client = await server.connect();
      const result = await client.call('add', [2, 40]);
      expect(result.args).toContain(42);
    });

    it('server calls client and gets the result', async () => {
      server = await startServer(setup);
      const client = await server.connect();
      client.handle('whoAreYou', () => ({ name: 'client', list: [1, 2, 3] }));
      const serverSession = await server.session(0);
      const result = await serverSession.call('whoAreYou');
      expect(result.args).toContainEqual({ name: 'client', list: [1, 2, 3] });
    });

    it('a handler that throws becomes _error, and the session stays up', async () => {
      server = await startServer(setup, async (incoming) => {
        const session = await incoming.accept();
        session.handle('fail', () => {
          throw new Error('this call always fails');
        });
        session.handle('ok', () => 'fine');
        return session;
      });
      const client = await server.connect();
      const error = await client.call('fail').catch((caught: unknown) => caught);
      expect(RtmpError.isInstance(error)).toBe(true);
      expect((await client.call('ok')).args).toContain('fine');
    });

    it('an unknown command gets _error and the session stays up', async () => {
      server = await startServer(setup);
      const client = await server.connect();
      const error = await client.call('noSuchCommand', [1]).catch((caught: unknown) => caught);
      expect(RtmpError.isInstance(error)).toBe(true);
      expect(client.state).toBe('connected');
    });

    it('many calls in flight are matched to their answers', async () => {
      server = await startServer(setup, async (incoming) => {
        const session = await incoming.accept();
        session.handle('square', async (args) => {
          const n = args[0] as number;
          await new Promise((resolve) => setTimeout(resolve, (n * 7) % 13));
          return n * n;
        });
        return session;
      });
      const client = await server.connect();
      const results = await Promise.all(Array.from({ length: 40 }, (_, n) => client.call('square', [n])));
      expect(results.map((result) => result.args.at(-1))).toEqual(Array.from({ length: 40 }, (_, n) => n * n));
    });

    it('a call can be cancelled with an AbortSignal', async () => {
      server = await startServer(setup, async (incoming) => {
        const session = await incoming.accept();
        session.handle('never', () => new Promise(() => {}));
        return session;
      });
      const client = await server.connect();
      const controller = new AbortController();
      const pending = client.call('never', [], { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toThrow();
      expect(client.state).toBe('connected');
    });
  });
}
