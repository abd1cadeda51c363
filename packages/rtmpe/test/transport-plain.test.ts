import { HandshakeError, type Listener, RtmpError } from '@rtmpkit/core';
import { rtmp } from '@rtmpkit/rtmp';
import { afterEach, describe, expect, it } from 'vitest';
import { rtmpe } from '../src/index.js';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

/** A listener that accepts every connection and reports the app (and scheme) it saw. */
async function serve(transport: ReturnType<typeof rtmpe>): Promise<{ listener: Listener; apps: string[]; schemes: string[] }> {
  const listener = await transport.listen({ host: '127.0.0.1', port: 0, timeouts: { handshake: 2000 } });
  listeners.push(listener);
  const apps: string[] = [];
  const schemes: string[] = [];
  void (async () => {
    for await (const incoming of listener) {
      apps.push(incoming.connectInfo.app);
      schemes.push(incoming.scheme);
      await incoming.accept();
    }
  })();
  return { listener, apps, schemes };
}

describe('rtmpe() and plain RTMP peers', () => {
  it('with acceptPlain, an RTMPE listener also serves plain rtmp:// clients, unencrypted, reported as rtmp', async () => {
    const { listener, apps, schemes } = await serve(rtmpe({ server: { acceptPlain: true } }));
    const port = listener.address.port;
    const plain = await rtmp().connect(`rtmp://127.0.0.1:${port}/plain`);
    const encrypted = await rtmpe().connect(`rtmpe://127.0.0.1:${port}/encrypted`);
    expect([plain.state, encrypted.state]).toEqual(['connected', 'connected']);
    expect(apps).toEqual(['plain', 'encrypted']);
    expect(schemes).toEqual(['rtmp', 'rtmpe']);
    await Promise.all([plain.close(), encrypted.close()]);
  });

  it('without it, a plain client is turned away and the listener keeps serving RTMPE', async () => {
    const errors: unknown[] = [];
    const { listener, apps } = await serve(rtmpe({ onConnectionError: (error) => errors.push(error) }));
    const port = listener.address.port;
    await expect(rtmp().connect(`rtmp://127.0.0.1:${port}/plain`, { timeouts: { handshake: 2000 } })).rejects.toBeInstanceOf(RtmpError);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(HandshakeError);
    const session = await rtmpe().connect(`rtmpe://127.0.0.1:${port}/after`);
    expect(apps).toEqual(['after']);
    await session.close();
  });

  it('a plain RTMP server turns an RTMPE client away during the handshake (C0 = 6 is not its version)', async () => {
    const plainListener = await rtmp().listen({ host: '127.0.0.1', port: 0 });
    listeners.push(plainListener);
    void (async () => {
      for await (const incoming of plainListener) await incoming.accept();
    })();
    const attempt = rtmpe().connect(`rtmpe://127.0.0.1:${plainListener.address.port}/live`);
    await expect(attempt).rejects.toBeInstanceOf(RtmpError);
    await expect(attempt).rejects.toThrow(/handshake/);
  });

  it('connect() refuses a URL of another scheme', async () => {
    await expect(rtmpe().connect('rtmp://127.0.0.1:1/live')).rejects.toThrow(/rtmpe, not rtmp/);
  });
});
