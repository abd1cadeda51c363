import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandError, HandshakeError, type IncomingSession, InvalidUrlError, type Listener, RtmpError, TimeoutError } from '@rtmpkit/core';
import { rtmpt } from '@rtmpkit/rtmpt';
import { afterEach, describe, expect, it } from 'vitest';
import { type RtmpteHandler, type RtmpteHandlerOptions, createRtmpteHandler, rtmpte } from '../src/index.js';
import { rawPost } from './helpers/raw-tunnel.js';

interface Mounted {
  port: number;
  handler: RtmpteHandler;
  incoming: IncomingSession[];
  errors: unknown[];
  /** Bodies of the `/send` requests, by tunnel id, in arrival order. */
  sends: Map<string, Buffer[]>;
  other: string[];
}

let http: Server | undefined;
let mounted: Mounted | undefined;
const listeners: Listener[] = [];
afterEach(async () => {
  await mounted?.handler.close();
  if (http) {
    await new Promise<void>((resolve) => {
      http!.close(() => resolve());
      http!.closeAllConnections();
    });
  }
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
  http = mounted = undefined;
});

/** Mounts an RTMPTE handler on a node:http server next to an API route, recording what the clients send. */
async function mount(options: RtmpteHandlerOptions): Promise<Mounted> {
  const errors: unknown[] = [];
  const handler = createRtmpteHandler({ ...options, onConnectionError: (error) => errors.push(error) });
  const sends = new Map<string, Buffer[]>();
  const other: string[] = [];
  http = createServer((request, response) => {
    const send = /^\/send\/([^/]+)\//.exec(request.url ?? '');
    if (send) request.on('data', (chunk: Buffer) => sends.set(send[1]!, [...(sends.get(send[1]!) ?? []), chunk]));
    if (handler.handleRequest(request, response)) return;
    other.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('api');
  });
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  const incoming: IncomingSession[] = [];
  void (async () => {
    for await (const session of handler) {
      incoming.push(session);
      await session.accept();
    }
  })();
  mounted = { port: (http.address() as AddressInfo).port, handler, incoming, errors, sends, other };
  return mounted;
}

/** All that one tunnel's client sent, joined. */
const tunnelBytes = (sends: Map<string, Buffer[]>) => [...sends.values()].map((chunks) => Buffer.concat(chunks));

describe('createRtmpteHandler mounted on an HTTP server', () => {
  it('with acceptPlain serves RTMPTE and RTMPT on one port, tells them apart by C0, and leaves other routes alone', async () => {
    const { port, incoming, sends, other } = await mount({ server: { acceptPlain: true } });
    const plain = await rtmpt().connect(`rtmpt://127.0.0.1:${port}/plain-app-in-the-clear`);
    const encrypted = await rtmpte().connect(`rtmpte://127.0.0.1:${port}/hidden-app-name`);
    expect([plain.scheme, encrypted.scheme]).toEqual(['rtmpt', 'rtmpte']);
    expect(incoming.map((session) => [session.connectInfo.app, session.scheme])).toEqual([
      ['plain-app-in-the-clear', 'rtmpt'],
      ['hidden-app-name', 'rtmpte'],
    ]);
    // A call after connect goes both ways through RC4: nobody handles it, so the server answers _error.
    await expect(encrypted.call('nobodyHandlesThis')).rejects.toBeInstanceOf(CommandError);

    const [plainWire, encryptedWire] = tunnelBytes(sends);
    expect(plainWire![0]).toBe(3);
    expect(plainWire!.includes('plain-app-in-the-clear')).toBe(true);
    expect(encryptedWire![0]).toBe(6);
    expect(encryptedWire!.length).toBeGreaterThan(3073 + 100); // the handshake, then RC4 bytes
    expect(encryptedWire!.includes('hidden-app-name')).toBe(false);
    expect(encryptedWire!.includes('connect')).toBe(false);

    const api = await fetch(`http://127.0.0.1:${port}/api/streams`);
    expect(await api.text()).toBe('api');
    expect(other).toEqual(['GET /api/streams']);
    await Promise.all([plain.close(), encrypted.close()]);
  });

  it('without acceptPlain turns an RTMPT client away (HandshakeError) and keeps serving RTMPTE', async () => {
    const { port, incoming, errors } = await mount({ session: { timeouts: { handshake: 2000 } } });
    await expect(rtmpt().connect(`rtmpt://127.0.0.1:${port}/plain`, { timeouts: { handshake: 2000 } })).rejects.toBeInstanceOf(RtmpError);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(HandshakeError);
    const session = await rtmpte().connect(`rtmpte://127.0.0.1:${port}/after`);
    expect(incoming.map((each) => each.scheme)).toEqual(['rtmpte']);
    await session.close();
  });

  it('with acceptPlain, a tunnel that sends no byte ends with a handshake TimeoutError', async () => {
    const { port, errors, handler } = await mount({ server: { acceptPlain: true }, session: { timeouts: { handshake: 150 } } });
    const opened = await rawPost(port, '/open/1');
    expect(opened.status).toBe(200);
    expect(handler.tunnel.sessionCount).toBe(1);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
    expect(errors[0]).toMatchObject({ timeout: 'handshake' });
    await expect.poll(() => handler.tunnel.sessionCount).toBe(0);
  });
});

describe('rtmpte() against other servers and URLs', () => {
  it('a plain RTMPT server turns an RTMPTE client away during the handshake', async () => {
    const listener = await rtmpt().listen({ host: '127.0.0.1', port: 0 });
    listeners.push(listener);
    void (async () => {
      for await (const incoming of listener) await incoming.accept();
    })();
    const attempt = rtmpte().connect(`rtmpte://127.0.0.1:${listener.address.port}/live`, { timeouts: { handshake: 3000 } });
    await expect(attempt).rejects.toBeInstanceOf(RtmpError);
  });

  it('is the rtmpte scheme, and connect() refuses a URL of another scheme', async () => {
    expect(rtmpte().scheme).toBe('rtmpte');
    await expect(rtmpte().connect('rtmpt://127.0.0.1:1/live')).rejects.toBeInstanceOf(InvalidUrlError);
    await expect(rtmpte().connect('rtmpe://127.0.0.1:1/live')).rejects.toThrow(/rtmpte, not rtmpe/);
  });
});
