import { type Server, createServer } from 'node:net';
import { type ByteChannel, type HandshakeExtension, type RtmpCommand, ServerHandshake } from '@rtmpkit/core';
import { describeWithPeers, findPeer, freePort, peerPath, startPeer } from '@rtmpkit/test-peers';
import { afterEach, expect, it } from 'vitest';
import type { SecretPadding } from '../src/crypto/dh.js';
import type { Rc4Keys } from '../src/crypto/rc4-keys.js';
import type { RtmpeType } from '../src/rtmpe/constants.js';
import { type Rc4Channel, rc4Channel } from '../src/rtmpe/rc4-channel.js';
import { RtmpeExtension } from '../src/rtmpe/rtmpe-extension.js';
import { rtmpeServerLink } from '../src/rtmpe/rtmpe-link.js';
import { keyPairForShortSecret } from './helpers/hunt-key.js';
import { librtmpSecretPadding } from './helpers/librtmp-build.js';
import { readRtmp } from './helpers/rtmp-reader.js';
import { socketChannel } from './helpers/socket-channel.js';

/** One server end: the channel and handshake for a new connection, and what to report about it. */
interface ServerEnd {
  channel: Rc4Channel;
  handshake: ServerHandshake;
  candidates(): readonly Rc4Keys[] | undefined;
}

interface Outcome {
  connect: RtmpCommand | undefined;
  error: Error | undefined;
  handshakeType: number | undefined;
  keys: Rc4Keys | undefined;
  candidates: readonly Rc4Keys[] | undefined;
  log: string;
}

/** Generous: two CPUs shared with other suites make real-peer runs slow at times. */
const PEER_TEST_TIMEOUT = 45_000;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * Runs `rtmpdump -r rtmpe://127.0.0.1:PORT/live/x` against a one-connection server made by
 * `makeEnd`, which decodes the chunk stream through the RC4 channel until the first command.
 */
async function rtmpdumpAgainst(makeEnd: (inner: ByteChannel) => ServerEnd): Promise<Outcome & { port: number }> {
  const port = await freePort();
  const server = createServer();
  servers.push(server);
  let settle: (value: Omit<Outcome, 'log'>) => void = () => {};
  const served = new Promise<Omit<Outcome, 'log'>>((resolve) => (settle = resolve));
  server.on('connection', (socket) => {
    const end = makeEnd(socketChannel(socket));
    const report = (connect: RtmpCommand | undefined, error: Error | undefined) => {
      settle({ connect, error, handshakeType: end.handshake.handshakeType, keys: end.channel.keys, candidates: end.candidates() });
      socket.destroy();
    };
    readRtmp(end.channel, end.handshake, {
      // A wrong RC4 key gives garbage that may just wait for more bytes: give up after a while.
      onHandshakeDone: () => setTimeout(() => report(undefined, new Error('no command within 4 s of the handshake')), 4000).unref(),
      onCommand: (command) => report(command, undefined),
      onError: (error) => report(undefined, error),
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const rtmpdump = startPeer(peerPath('rtmpdump'), ['-V', '-m', '3', '-o', '/dev/null', '-r', `rtmpe://127.0.0.1:${port}/live/x`], { timeoutMs: 15_000 });
  const outcome = await Promise.race([served, rtmpdump.done.then(() => served)]);
  const run = await rtmpdump.stop();
  return { ...outcome, log: run.stderr, port };
}

function linkEnd(serverType: RtmpeType): (inner: ByteChannel) => ServerEnd {
  return (inner) => {
    const link = rtmpeServerLink(inner, { serverType });
    return { channel: link.channel, handshake: link.handshake, candidates: () => link.extension.keyCandidates };
  };
}

/** A server whose key pair is picked, once rtmpdump's key is known, so the shared secret has a leading zero byte. */
function shortSecretEnd(padding: SecretPadding | 'auto'): (inner: ByteChannel) => ServerEnd {
  return (inner) => {
    const channel = rc4Channel(inner);
    const events = { keys: (keys: readonly Rc4Keys[]) => channel.setKeys(keys) };
    const base = new RtmpeExtension({ secretPadding: padding }, events);
    let chosen: RtmpeExtension | undefined;
    const extension: HandshakeExtension = {
      acceptVersion: (version, role) => base.acceptVersion(version, role),
      serverVersion: (c0, c1) => base.serverVersion(c0, c1),
      layout: (role, peerLayout) => base.layout(role, peerLayout),
      // Core reads the client's key before it builds S1, so our key can depend on it.
      peerPublicKey: (key, context) => {
        chosen = new RtmpeExtension({ secretPadding: padding, keyPair: keyPairForShortSecret(key) }, events);
        chosen.peerPublicKey(key, context);
      },
      ownPublicKey: () => chosen!.keyPair.publicKey,
      transformSignature: (signature, key, context) => base.transformSignature(signature, key, context),
    };
    return { channel, handshake: new ServerHandshake({ extension }), candidates: () => chosen?.keyCandidates };
  };
}

function expectConnect(outcome: Outcome & { port: number }): void {
  expect(outcome.error, outcome.log.slice(-3000)).toBeUndefined();
  expect(outcome.connect?.name).toBe('connect');
  expect(outcome.connect?.transactionId).toBe(1);
  expect(outcome.connect?.commandObject).toMatchObject({ app: 'live', tcUrl: `rtmpe://127.0.0.1:${outcome.port}/live` });
}

describeWithPeers('rtmpdump (librtmp) as an RTMPE client of our handshake + RC4 channel', ['rtmpdump'], () => {
  for (const type of [6, 8, 9] as const) {
    it(`type ${type}: rtmpdump completes the handshake and its connect decodes through the cipher`, async () => {
      const outcome = await rtmpdumpAgainst(linkEnd(type));
      expectConnect(outcome);
      expect(outcome.handshakeType).toBe(type);
      expect(outcome.log).toMatch(new RegExp(`Type Answer\\s*: 0${type}`));
      expect(outcome.log).toMatch(/Genuine Adobe Flash Media Server/);
      expect(outcome.log).not.toMatch(/not genuine/i);
    }, PEER_TEST_TIMEOUT);
  }

  it("by default we answer rtmpdump's C1 (version 128.0.3.2) with type 8, as librtmp's own server does", async () => {
    const outcome = await rtmpdumpAgainst((inner) => {
      const link = rtmpeServerLink(inner);
      return { channel: link.channel, handshake: link.handshake, candidates: () => link.extension.keyCandidates };
    });
    expectConnect(outcome);
    expect(outcome.handshakeType).toBe(8);
    expect(outcome.log).toMatch(/Client type: 06/);
  }, PEER_TEST_TIMEOUT);

  // (findPeer, not peerPath: this body is also collected when rtmpdump is missing and the block skips.)
  const found = findPeer('rtmpdump');
  const installed = found ? librtmpSecretPadding(found) : undefined;
  const other: SecretPadding = installed === 'leading-zeros' ? 'trailing-zeros' : 'leading-zeros';

  it("a shared secret with a leading zero byte: 'auto' finds the layout rtmpdump used", async () => {
    const outcome = await rtmpdumpAgainst(shortSecretEnd('auto'));
    expectConnect(outcome);
    expect(outcome.candidates).toHaveLength(2);
    const used = outcome.keys === outcome.candidates![0] ? 'trailing-zeros' : 'leading-zeros';
    if (installed) expect(used).toBe(installed);
  }, PEER_TEST_TIMEOUT);

  it.runIf(installed !== undefined)(`the installed librtmp's layout (${installed ?? 'unknown'}) works alone; the other one does not`, async () => {
    expectConnect(await rtmpdumpAgainst(shortSecretEnd(installed!)));
    const wrong = await rtmpdumpAgainst(shortSecretEnd(other));
    expect(wrong.connect).toBeUndefined();
    expect(wrong.error).toBeDefined();
  }, PEER_TEST_TIMEOUT);
});
