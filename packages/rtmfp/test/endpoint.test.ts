import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RtmfpEndpoint,
  encodeChunk,
  encodeIIKeying,
  peerEpd,
  sealStartupPacket,
  serverEpd,
  type EndpointSession,
} from '../src/index.js';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function server(options: ConstructorParameters<typeof Object>[0] = {}): Promise<{ endpoint: RtmfpEndpoint; sessions: EndpointSession[]; foreign: number[] }> {
  const endpoint = await RtmfpEndpoint.bind('127.0.0.1', 0, options);
  open.push(endpoint);
  const sessions: EndpointSession[] = [];
  const foreign: number[] = [];
  endpoint.accept({ onSession: (session) => sessions.push(session), onForeignHello: () => foreign.push(1) });
  return { endpoint, sessions, foreign };
}

async function udp(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  open.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return socket;
}

function until(check: () => boolean, ms = 3000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > ms) reject(new Error('condition not met in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('RtmfpEndpoint: bad input is dropped cheaply', () => {
  it('short, misaligned, undecryptable and unknown-session datagrams cost no state; a real client still connects', async () => {
    const { endpoint, sessions } = await server();
    const socket = await udp();
    const port = endpoint.address.port;
    const send = (bytes: Buffer) => socket.send(bytes, port, '127.0.0.1');
    send(Buffer.from([3, 0, 0, 0, 0]));                 // short
    send(randomBytes(37));                              // not whole blocks
    const wrongChecksum = sealStartupPacket([encodeChunk({ kind: 'ihello', epd: serverEpd('rtmfp://x/app'), tag: Buffer.alloc(16) })]);
    wrongChecksum[wrongChecksum.length - 1]! ^= 0xff;   // garbles the last block: the checksum fails
    send(wrongChecksum);
    const unknown = randomBytes(36);
    unknown.writeUInt32BE((unknown.readUInt32BE(4) ^ unknown.readUInt32BE(8) ^ 0x1234) >>> 0, 0); // session 0x1234
    send(unknown);
    await until(() => endpoint.counters.datagramsReceived === 4);
    expect(endpoint.counters).toMatchObject({ droppedMalformed: 2, droppedUndecryptable: 1, droppedUnknownSession: 1 });
    expect(sessions).toHaveLength(0);

    const client = await RtmfpEndpoint.bind('127.0.0.1', 0);
    open.push(client);
    const session = await client.open({ epd: serverEpd(`rtmfp://127.0.0.1:${port}/app`), addresses: [{ host: '127.0.0.1', port }], timeoutMs: 5000 });
    expect(session.result.role).toBe('initiator');
    await until(() => sessions.length === 1);
    expect(sessions[0]!.result.farSessionId).toBe(session.id);
    // Garbage to a live session's id is dropped too, and the session is unharmed.
    const forged = randomBytes(52);
    forged.writeUInt32BE((forged.readUInt32BE(4) ^ forged.readUInt32BE(8) ^ sessions[0]!.id) >>> 0, 0);
    send(forged);
    await until(() => endpoint.counters.droppedUndecryptable === 2);
    expect(sessions[0]!.machine.state).toBe('open');
  });

  it('an IHello flood from one source is rate limited and keeps no state', async () => {
    const { endpoint, sessions } = await server({ handshakeRate: { perSecond: 10, burst: 20 } });
    const socket = await udp();
    const answers: Buffer[] = [];
    socket.on('message', (bytes) => answers.push(bytes));
    const hello = sealStartupPacket([encodeChunk({ kind: 'ihello', epd: serverEpd('rtmfp://127.0.0.1/app'), tag: randomBytes(16) })]);
    const started = Date.now();
    for (let i = 0; i < 300; i++) socket.send(hello, endpoint.address.port, '127.0.0.1');
    // Loopback may drop some of a burst this size; wait until what arrived is read.
    await until(() => endpoint.counters.datagramsReceived >= 100 && answers.length >= 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const received = endpoint.counters.datagramsReceived;
    const allowed = 20 + Math.ceil(((Date.now() - started) / 1000) * 10);
    expect(answers.length).toBeLessThanOrEqual(allowed);
    expect(endpoint.counters.droppedRateLimited).toBe(received - answers.length);
    expect(sessions).toHaveLength(0);
    expect(endpoint.sessions.size).toBe(0);
  });

  it('IIKeyings with forged cookies open nothing', async () => {
    const { endpoint, sessions } = await server();
    const socket = await udp();
    for (let i = 0; i < 10; i++) {
      const keying = encodeIIKeying({ initiatorSessionId: 1 + i, cookie: randomBytes(68), certificate: Buffer.from([0x81, 0x02, 0x1d, 0x02, ...randomBytes(128)]), skic: Buffer.from([0x02, 0x1d, 0x02]), signature: Buffer.from('X') });
      socket.send(sealStartupPacket([keying]), endpoint.address.port, '127.0.0.1');
    }
    await until(() => endpoint.counters.datagramsReceived === 10);
    expect(endpoint.counters.droppedHandshake).toBe(10);
    expect(sessions).toHaveLength(0);
  });

  it('an IHello for another endpoint goes to the rendezvous hook, not to a session', async () => {
    const { endpoint, foreign } = await server();
    const socket = await udp();
    const hello = sealStartupPacket([encodeChunk({ kind: 'ihello', epd: peerEpd(randomBytes(32)), tag: randomBytes(16) })]);
    socket.send(hello, endpoint.address.port, '127.0.0.1');
    await until(() => foreign.length === 1);
    expect(endpoint.sessions.size).toBe(0);
  });

  it('a handshake nobody answers gives up with a typed timeout', async () => {
    const silent = await udp();
    const client = await RtmfpEndpoint.bind('127.0.0.1', 0);
    open.push(client);
    const error = await client
      .open({ epd: serverEpd('rtmfp://127.0.0.1/app'), addresses: [{ host: '127.0.0.1', port: silent.address().port }], timeoutMs: 300 })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
  });
});
