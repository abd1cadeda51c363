import { describe, expect, it } from 'vitest';
import { AbortedError, CommandError, StreamRejectedError, TimeoutError } from '../src/errors/index.js';
import { decodeCommand } from '../src/message/index.js';
import { connectPair, until, wireMessages } from './helpers/channel-pair.js';

describe('session: call() both ways', () => {
  it('client calls server and server calls client, with results', async () => {
    const { client, server } = await connectPair();
    server.handle('add', (args) => (args[0] as number) + (args[1] as number));
    server.handle('pair', () => [1, 'two']);
    server.handle('nothing', () => undefined);
    client.handle('whoAreYou', async (_args, context) => {
      expect(context.session).toBe(client);
      return { name: 'client', list: [1, 2, 3] };
    });
    expect((await client.call('add', [2, 40])).args).toEqual([42]);
    expect((await client.call('pair')).args).toEqual([1, 'two']);
    expect(await client.call('nothing')).toEqual({ commandObject: null, args: [] });
    expect((await server.call('whoAreYou')).args).toEqual([{ name: 'client', list: [1, 2, 3] }]);
    await client.close();
  });

  it('transaction ids count up from 1 (connect), and notify() uses 0', async () => {
    const { client, server, clientChannel } = await connectPair();
    const seen: number[] = [];
    server.handle('note', (_args, context) => {
      seen.push(context.transactionId);
    });
    server.handle('ask', () => 'ok');
    await client.call('ask');
    await client.notify('note', ['x']);
    await client.call('ask');
    await until(() => seen.length === 1);
    expect(seen).toEqual([0]);
    const ids = wireMessages(clientChannel)
      .filter((m) => m.type === 20)
      .map((m) => decodeCommand(m))
      .map((c) => [c.name, c.transactionId]);
    expect(ids).toEqual([['connect', 1], ['ask', 2], ['note', 0], ['ask', 3]]);
    await client.close();
  });

  it('many calls in flight are matched to their answers by transaction id', async () => {
    const { client, server } = await connectPair();
    server.handle('square', async (args) => {
      const n = args[0] as number;
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 13));
      return n * n;
    });
    const results = await Promise.all(Array.from({ length: 40 }, (_, n) => client.call('square', [n])));
    expect(results.map((r) => r.args[0])).toEqual(Array.from({ length: 40 }, (_, n) => n * n));
    await client.close();
  });

  it('a handler that throws becomes _error with an info object; the session stays up', async () => {
    const { client, server } = await connectPair();
    server.handle('fail', () => {
      throw new Error('this call always fails');
    });
    server.handle('refuse', () => {
      throw new StreamRejectedError('App.Custom.Refused', 'not today');
    });
    const error = (await client.call('fail').catch((caught: unknown) => caught)) as CommandError;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.command).toBe('fail');
    expect(error.statusCode).toBe('NetConnection.Call.Failed');
    expect(error.info).toMatchObject({ level: 'error', description: 'this call always fails' });
    const refused = (await client.call('refuse').catch((caught: unknown) => caught)) as CommandError;
    expect(refused.statusCode).toBe('App.Custom.Refused');
    expect(client.state).toBe('connected');
    server.handle('ok', () => 'fine');
    expect((await client.call('ok')).args).toEqual(['fine']);
    await client.close();
  });

  it('an unknown command gets _error NetConnection.Call.Failed, both ways, and the session stays up', async () => {
    const { client, server } = await connectPair();
    const error = (await client.call('noSuchCommand', [1]).catch((caught: unknown) => caught)) as CommandError;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.statusCode).toBe('NetConnection.Call.Failed');
    const reverse = (await server.call('alsoUnknown').catch((caught: unknown) => caught)) as CommandError;
    expect(reverse.statusCode).toBe('NetConnection.Call.Failed');
    expect(client.state).toBe('connected');
    expect(server.state).toBe('connected');
    server.handle('ping2', () => 'pong');
    expect((await client.call('ping2')).args).toEqual(['pong']);
    await client.close();
  });

  it('a call times out with TimeoutError; its late answer is ignored and the session stays up', async () => {
    const { client, server } = await connectPair({ client: { timeouts: { call: 40 } } });
    let release!: () => void;
    server.handle('slow', () => new Promise<string>((resolve) => (release = () => resolve('late'))));
    server.handle('fast', () => 'fast');
    const error = await client.call('slow').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeout).toBe('call');
    expect((error as TimeoutError).ms).toBe(40);
    release();
    expect((await client.call('fast', [], { timeout: 1000 })).args).toEqual(['fast']);
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('a call can be cancelled with an AbortSignal; a late answer is ignored', async () => {
    const { client, server } = await connectPair();
    let release!: () => void;
    server.handle('never', () => new Promise<string>((resolve) => (release = () => resolve('late'))));
    server.handle('fast', () => 'fast');
    const controller = new AbortController();
    const pending = client.call('never', [], { signal: controller.signal });
    await until(() => release !== undefined);
    controller.abort(new Error('changed my mind'));
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortedError);
    expect(((error as AbortedError).cause as Error).message).toBe('changed my mind');
    release();
    expect((await client.call('fast')).args).toEqual(['fast']);
    const already = await client.call('fast', [], { signal: AbortSignal.abort() }).catch((caught: unknown) => caught);
    expect(already).toBeInstanceOf(AbortedError);
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('pending calls reject with SessionClosedError when the session closes', async () => {
    const { client, server } = await connectPair();
    server.handle('never', () => new Promise(() => {}));
    const pending = client.call('never').catch((caught: unknown) => caught);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await server.close();
    const error = (await pending) as Error;
    expect(error.name).toBe('SessionClosedError');
    await expect(client.call('x')).rejects.toMatchObject({ name: 'SessionClosedError' });
  });

  it('an argument AMF cannot carry rejects that call only', async () => {
    const { client, server } = await connectPair();
    server.handle('ok', () => 'fine');
    const error = await client.call('ok', [(() => 1) as never]).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AmfEncodeError');
    await expect(client.notify('ok', [Symbol('x') as never])).rejects.toMatchObject({ name: 'AmfEncodeError' });
    expect((await client.call('ok')).args).toEqual(['fine']);
    await client.close();
  });

  it('the session keeps its own commands: handle() on them throws', async () => {
    const { client } = await connectPair();
    expect(() => client.handle('createStream', () => 1)).toThrow(TypeError);
    expect(() => client.handle('_result', () => 1)).toThrow(TypeError);
    client.handle('custom', () => 1);
    client.handle('custom', undefined);
    await client.close();
  });
});
