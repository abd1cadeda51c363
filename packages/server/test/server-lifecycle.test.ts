import { createServer as createTcpServer, connect as tcpConnect } from 'node:net';
import { rtmp } from '@rtmpkit/rtmp';
import { freePort } from '@rtmpkit/test-peers';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, ServerListenError, ServerStateError, type RtmpServer, type ServerPlugin } from '../src/index.js';
import { play, publish, sendFrames } from './helpers/clients.js';
import { RawPlayer } from './helpers/raw-player.js';
import { syntheticStream } from './helpers/synthetic.js';
import { startTestServer, until, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
const cleanup: Array<() => Promise<unknown> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
  await server?.close();
  server = undefined;
});

describe('createServer, start and close', () => {
  it('takes a bare transport (shorthand) or { transport, listen }, and lists where it listens', async () => {
    const port = await freePort();
    const shorthand = createServer({ transports: [rtmp({ listen: { host: '127.0.0.1', port } })] });
    await shorthand.start();
    cleanup.push(() => shorthand.close());
    expect(shorthand.state).toBe('running');
    expect(shorthand.addresses).toEqual([{ scheme: 'rtmp', address: '127.0.0.1', port }]);
    const session = await rtmp().connect(`rtmp://127.0.0.1:${port}/live`);
    await session.close();

    const two = createServer({
      transports: [
        { transport: rtmp(), listen: { host: '127.0.0.1', port: 0 } },
        { transport: rtmp(), listen: { host: '127.0.0.1', port: 0, chunkSize: 128 } },
      ],
    });
    await two.start();
    cleanup.push(() => two.close());
    expect(two.addresses).toHaveLength(2);
    expect(two.addresses[0]!.port).not.toBe(two.addresses[1]!.port);
  });

  it('refuses bad options at once', () => {
    expect(() => createServer({ transports: [] })).toThrow(/at least one transport/);
    expect(() => createServer({ transports: [{} as never] })).toThrow(TypeError);
    expect(() => createServer({ transports: [rtmp()], maxSessions: 0 })).toThrow(RangeError);
    expect(() => createServer({ transports: [rtmp()], player: { maxBytes: -5 } })).toThrow(/player.maxBytes/);
  });

  it('fails start() clearly when a port is in use (which port, what to do), and frees the others', async () => {
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const busy = (blocker.address() as { port: number }).port;
    const free = await freePort();
    const failing = createServer({
      transports: [
        { transport: rtmp(), listen: { host: '127.0.0.1', port: free } },
        { transport: rtmp(), listen: { host: '127.0.0.1', port: busy } },
      ],
    });
    const error = await failing.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerListenError);
    expect(error).toMatchObject({ port: busy, scheme: 'rtmp', code: 'ERR_RTMPKIT_SERVER_LISTEN' });
    expect((error as Error).message).toContain(`port ${busy}`);
    expect((error as Error).message).toMatch(/already in use.*another port/);
    expect(failing.state).toBe('closed');
    // The transport that did start was closed again: its port is free.
    const again = createServer({ transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: free } }] });
    await again.start();
    await again.close();
    await expect(failing.start()).rejects.toBeInstanceOf(ServerStateError);
  });

  it('sets plugins up before listening and closes them on shutdown', async () => {
    const calls: string[] = [];
    let seen: RtmpServer | undefined;
    const plugin: ServerPlugin = {
      name: 'probe',
      setup(target) {
        seen = target;
        calls.push(`setup:${target.state}`);
      },
      close() {
        calls.push('close');
      },
    };
    server = await startTestServer({ plugins: [plugin] });
    expect(seen).toBe(server.server);
    await server.close();
    expect(calls).toEqual(['setup:starting', 'close']);
  });

  it('shuts down gracefully: players get Play.Stop, everyone AppShutdown, connections close, the port is freed', async () => {
    server = await startTestServer();
    const publisher = await publish(server.url('live'), 'a');
    const player = await play(server.url('live'), 'a');
    cleanup.push(() => publisher.session.close(), () => player.close());
    await sendFrames(publisher.stream, syntheticStream({ frames: 3 }), Infinity);
    await player.waitFor((p) => p.video().length >= 4, 'frames');
    const started = Date.now();
    await server.close();
    const tookMs = Date.now() - started;
    expect(server.server.state).toBe('closed');
    await Promise.all([publisher.session.closed, player.session.closed, player.done]);
    expect(player.statuses.map((s) => s.code)).toContain('NetStream.Play.Stop');
    expect(player.connectionStatuses.map((s) => s.code)).toContain('NetConnection.Connect.AppShutdown');
    expect(publisher.connectionStatuses.map((s) => s.code)).toContain('NetConnection.Connect.AppShutdown');
    expect(tookMs).toBeLessThan(3000); // the clients left in order, before the shutdown timeout
    // Nothing listens any more.
    const refused = await new Promise<string>((resolve) => {
      const socket = tcpConnect({ host: '127.0.0.1', port: server!.port });
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('bounds shutdown by its timeout when a client does not leave', async () => {
    server = await startTestServer();
    const stuck = await RawPlayer.play(server.port, 'live', 'x');
    stuck.stopReading(); // it will never see the goodbyes or close its side
    cleanup.push(() => stuck.destroy());
    const started = Date.now();
    await server.server.close({ timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(server.server.sessions()).toEqual([]);
  });
});

describe('garbage clients', () => {
  it('do not disturb a publisher and a player', async () => {
    server = await startTestServer();
    const publisher = await publish(server.url('live'), 'a');
    const player = await play(server.url('live'), 'a');
    cleanup.push(() => publisher.session.close(), () => player.close());
    const frames = syntheticStream({ frames: 50 });
    const sending = sendFrames(publisher.stream, frames, 5);

    // Garbage instead of a handshake; a handshake cut short; garbage chunks after connect.
    const garbage = [0, 1, 2].map(() => {
      const socket = tcpConnect({ host: '127.0.0.1', port: server!.port });
      socket.on('error', () => {});
      socket.on('connect', () => socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(200))));
      return new Promise<void>((resolve) => socket.on('close', () => resolve()));
    });
    const cut = tcpConnect({ host: '127.0.0.1', port: server.port });
    cut.on('error', () => {});
    cut.on('connect', () => cut.end(Buffer.concat([Buffer.from([3]), Buffer.alloc(700, 7)])));
    const raw = await RawPlayer.play(server.port, 'live', 'a');
    raw.socket.write(Buffer.alloc(5000, 0xff)); // chunk headers that make no sense
    await Promise.all([...garbage, raw.closed]);
    cut.destroy();

    await sending;
    await player.waitFor((p) => p.video().length >= 51, 'every frame despite the garbage');
    expect(publisher.session.state).toBe('connected');
    expect(player.session.state).toBe('connected');
    await until(() => server!.server.sessions().length === 2, 'the garbage session to be gone');
    // And the server still takes new clients.
    const late = await play(server.url('live'), 'a');
    cleanup.push(() => late.close());
    await late.waitFor((p) => p.video().some((m) => m.payload[0] === 0x17 && m.payload[1] === 1), 'a keyframe');
  });
});
