/**
 * Live handshakes with real peers: our client against nginx-rtmp, our server against FFmpeg and
 * rtmpdump. Each test starts and stops its own processes on free loopback ports. Without the
 * programs the tests are skipped on a developer machine, and fail when CI=true.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientHandshake, type ClientHandshakeOptions, ServerHandshake } from '../src/handshake/index.js';
import { handshakeFixture } from './fixtures/handshake/handshake-support.js';

const IN_CI = process.env.CI === 'true';
const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

function findProgram(name: string): string | undefined {
  return ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'].map((dir) => join(dir, name)).find(existsSync);
}

const NGINX = findProgram('nginx');
const FFMPEG = findProgram('ffmpeg');
const RTMPDUMP = findProgram('rtmpdump');

/**
 * Declares a live suite. With every program present it runs; without, it is skipped on a developer
 * machine, and when CI=true it becomes one failing test that names what is missing.
 */
function liveSuite(name: string, needs: Record<string, boolean>, body: () => void): void {
  const missing = Object.entries(needs).filter(([, present]) => !present).map(([what]) => what);
  if (missing.length === 0) {
    describe(name, body);
  } else if (IN_CI) {
    describe(name, () => {
      it('has the programs it needs (required when CI=true)', () => {
        throw new Error(`missing ${missing.join(', ')}: apt-get install nginx libnginx-mod-rtmp ffmpeg rtmpdump`);
      });
    });
  } else {
    describe.skip(name, body);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, deadline = Date.now() + 10_000): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Handshakes with `port` using our client, sends FFmpeg's captured connect, returns the first reply bytes. */
function clientSession(port: number, options: ClientHandshakeOptions): Promise<{ client: ClientHandshake; c1: Buffer; reply: Buffer }> {
  const connect = handshakeFixture('ffmpeg-publish.after-c2');
  return new Promise((resolve, reject) => {
    const client = new ClientHandshake(options);
    const c0c1 = client.start();
    const reply: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(c0c1));
    socket.on('data', (data) => {
      try {
        if (!client.done) {
          const step = client.receive(data);
          for (const bytes of step.output) socket.write(bytes);
          if (step.done) socket.write(connect);
          reply.push(step.remainder);
        } else {
          reply.push(data);
        }
        // nginx answers connect with control messages and _result: any of it shows the session is up
        if (Buffer.concat(reply).length >= 16) {
          socket.destroy();
          resolve({ client, c1: c0c1.subarray(1), reply: Buffer.concat(reply) });
        }
      } catch (error) {
        socket.destroy();
        reject(error);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('nginx closed the connection before answering connect')));
  });
}

liveSuite('live: our ClientHandshake against nginx-rtmp', { nginx: Boolean(NGINX), 'the nginx rtmp module': existsSync(RTMP_MODULE) }, () => {
  let nginx: ChildProcess | undefined;
  let dir = '';
  let port = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtmpkit-nginx-'));
    port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      `load_module ${RTMP_MODULE}; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log info;
       events { worker_connections 64; }
       rtmp { server { listen 127.0.0.1:${port}; application live { live on; } } }\n`,
    );
    nginx = spawn(NGINX!, ['-p', dir, '-e', `${dir}/error.log`, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    await waitForPort(port);
  });

  afterAll(async () => {
    await stop(nginx);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('digest client: nginx signs S1 and S2, we sign C2, and connect gets an answer', async () => {
    const { client, reply } = await clientSession(port, {});
    expect(client.digest).toBe(true);
    expect(client.peerLayout).toBe('digest-first');
    expect(client.peerVersionBytes).toEqual(Buffer.from([0x0d, 0x0e, 0x0a, 0x0d]));
    expect(client.responseMatch).toBe('signature');
    expect(reply[0]! & 0x3f).toBe(2); // control messages come on chunk stream 2
  });

  it('digest client in the key-first layout: nginx finds that digest too', async () => {
    const { client } = await clientSession(port, { extension: { layout: () => 'key-first' } });
    expect(client.ownLayout).toBe('key-first');
    expect(client.responseMatch).toBe('signature');
  });

  it('plain client: nginx answers old-style, S1 = our C1', async () => {
    const { client, c1 } = await clientSession(port, { digest: false });
    expect(client.digest).toBe(false);
    expect(client.peerPacket).toEqual(c1);
    expect(client.responseMatch).toBe('echo');
  });
});

/** Serves one connection with our ServerHandshake; resolves when the bytes after C2 contain `connect`. */
async function serveOnce(run: (port: number) => ChildProcess): Promise<{ server: ServerHandshake; afterC2: Buffer }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  let peer: ChildProcess | undefined;
  try {
    return await new Promise((resolve, reject) => {
      listener.once('connection', (socket) => {
        const server = new ServerHandshake();
        const after: Buffer[] = [];
        socket.on('data', (data) => {
          try {
            if (server.done) after.push(data);
            else {
              const step = server.receive(data);
              for (const bytes of step.output) socket.write(bytes);
              after.push(step.remainder);
            }
            const afterC2 = Buffer.concat(after);
            if (afterC2.includes('connect')) {
              socket.destroy();
              resolve({ server, afterC2 });
            }
          } catch (error) {
            socket.destroy();
            reject(error);
          }
        });
        socket.on('error', () => {});
        socket.on('close', () => reject(new Error('the client hung up before sending connect (did it reject our S1/S2?)')));
      });
      peer = run(port);
      peer.on('error', reject);
    });
  } finally {
    await stop(peer);
    await new Promise((resolve) => listener.close(resolve));
  }
}

liveSuite('live: our ServerHandshake against FFmpeg and rtmpdump', { ffmpeg: Boolean(FFMPEG), rtmpdump: Boolean(RTMPDUMP) }, () => {
  it('FFmpeg playing checks our S1 digest and S2 signature, then signs C2 and sends connect', async () => {
    const { server, afterC2 } = await serveOnce((port) =>
      spawn(FFMPEG!, ['-loglevel', 'quiet', '-i', `rtmp://127.0.0.1:${port}/live/x`, '-t', '1', '-f', 'null', '-'], { stdio: 'ignore' }),
    );
    expect(server.digest).toBe(true);
    expect(server.peerVersionBytes).toEqual(Buffer.from([9, 0, 124, 2]));
    expect(server.responseMatch).toBe('signature');
    expect(afterC2[0]! & 0x3f).toBe(3); // FFmpeg sends connect on chunk stream 3
  });

  it('rtmpdump with SWF options (librtmp FP9) checks our S2 and signs C2', async () => {
    const { server } = await serveOnce((port) =>
      spawn(RTMPDUMP!, ['-q', '--live', '-r', `rtmp://127.0.0.1:${port}/live/x`, '-x', '1000', '-w', '00'.repeat(32), '-o', '/dev/null'], {
        stdio: 'ignore',
      }),
    );
    expect(server.digest).toBe(true);
    expect(server.peerVersionBytes).toEqual(Buffer.from([10, 0, 45, 2]));
    expect(server.responseMatch).toBe('signature');
  });

  it('plain rtmpdump gets the plain echo and sends S1 back as C2', async () => {
    const { server } = await serveOnce((port) =>
      spawn(RTMPDUMP!, ['-q', '--live', '-r', `rtmp://127.0.0.1:${port}/live/x`, '-o', '/dev/null'], { stdio: 'ignore' }),
    );
    expect(server.digest).toBe(false);
    expect(server.responseMatch).toBe('echo');
  });
});
