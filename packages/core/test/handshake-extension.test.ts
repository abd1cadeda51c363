import { describe, expect, it } from 'vitest';
import { HandshakeError } from '../src/errors/index.js';
import {
  ClientHandshake,
  FMS_KEY,
  FP_KEY,
  FP_KEY_TEXT,
  type HandshakeExtension,
  type HandshakeExtensionContext,
  ServerHandshake,
  computeSignature,
  findDigest,
  keyPosition,
  signatureKey,
} from '../src/handshake/index.js';
import { feed, seededRandom } from './fixtures/handshake/handshake-support.js';
import { hex } from './helpers/hex.js';

const CLIENT_KEY = Buffer.alloc(128, 0xc1);
const SERVER_KEY = Buffer.alloc(128, 0x5e);

/** A stand-in for RTMPE's signature cipher: mixes in the intermediate key and the handshake type. */
function fakeCipher(signature: Buffer, key: Buffer, context: HandshakeExtensionContext): Buffer {
  return Buffer.from(signature.map((byte, i) => byte ^ key[i]! ^ (context.s0Version ?? 0)));
}

interface Recorder {
  peerKeys: Buffer[];
  contexts: HandshakeExtensionContext[];
}

/** An RTMPE-shaped fake: version 6 asked, 8 answered to Flash-10-like C1s, key-first client, known keys. */
function fakeRtmpe(ownKey: Buffer, recorder: Recorder, cipher = fakeCipher): HandshakeExtension {
  return {
    clientVersion: 6,
    flashVersion: hex`80 00 03 02   # RTMPE client version`,
    acceptVersion: (version) => version === 6 || version === 8 || version === 9,
    serverVersion: (c0Version, c1) => (c1[4] === 0x80 ? 8 : c0Version),
    layout: (role, peerLayout) => (role === 'client' ? 'key-first' : peerLayout!),
    ownPublicKey: (context) => {
      recorder.contexts.push(context);
      return ownKey;
    },
    peerPublicKey: (key, context) => {
      recorder.peerKeys.push(key);
      recorder.contexts.push(context);
    },
    transformSignature: (signature, key, context) => {
      recorder.contexts.push(context);
      return cipher(signature, key, context);
    },
  };
}

function newRecorder(): Recorder {
  return { peerKeys: [], contexts: [] };
}

function rtmpePair(clientCipher = fakeCipher, serverCipher = fakeCipher, verifyServer = true) {
  const clientSeen = newRecorder();
  const serverSeen = newRecorder();
  const clientExtension = fakeRtmpe(CLIENT_KEY, clientSeen, clientCipher);
  const client = new ClientHandshake({ random: seededRandom(31), verifyServer, extension: clientExtension });
  const server = new ServerHandshake({ random: seededRandom(32), extension: fakeRtmpe(SERVER_KEY, serverSeen, serverCipher) });
  return { client, server, clientSeen, serverSeen };
}

describe('handshake extension hooks (fake RTMPE)', () => {
  it('sets C0, the C1 version and the key-first layout, and writes the key before the digest', () => {
    const { client } = rtmpePair();
    const c0c1 = client.start();
    const c1 = c0c1.subarray(1);
    expect(c0c1[0]).toBe(6);
    expect(c1.subarray(4, 8)).toEqual(hex`80 00 03 02`);
    // the digest checks out in the key-first layout, so it was computed over the key
    expect(findDigest(c1, FP_KEY_TEXT)?.layout).toBe('key-first');
    const at = keyPosition(c1, 'key-first');
    expect(c1.subarray(at, at + 128)).toEqual(CLIENT_KEY);
  });

  it('each side reads the other side\'s key at the layout whose digest checked out', () => {
    const { client, server, clientSeen, serverSeen } = rtmpePair();
    const c0c1 = client.start();
    const s0s1s2 = feed(server, [c0c1]).output;
    const c2 = feed(client, [s0s1s2]).output;
    expect(feed(server, [c2]).done).toBe(true);
    expect(serverSeen.peerKeys).toEqual([CLIENT_KEY]);
    expect(clientSeen.peerKeys).toEqual([SERVER_KEY]);
    // the server mirrored the client's layout, as librtmp's server does for RTMPE
    expect(server.peerLayout).toBe('key-first');
    expect(server.ownLayout).toBe('key-first');
    expect(client.peerLayout).toBe('key-first');
    const s1 = s0s1s2.subarray(1, 1537);
    const at = keyPosition(s1, 'key-first');
    expect(s1.subarray(at, at + 128)).toEqual(SERVER_KEY);
    expect(client.peerPacket).toEqual(s1);
  });

  it('the server answers with the type the extension picks; both sides follow it', () => {
    const { client, server } = rtmpePair();
    const s0s1s2 = feed(server, [client.start()]).output;
    expect(s0s1s2[0]).toBe(8);
    feed(server, [feed(client, [s0s1s2]).output]);
    expect([server.peerVersion, server.handshakeType]).toEqual([6, 8]);
    expect([client.peerVersion, client.handshakeType]).toEqual([8, 8]);
    expect(client.responseMatch).toBe('signature');
    expect(server.responseMatch).toBe('signature');
  });

  it('applies the signature transform to S2 and C2, with the intermediate key and the type', () => {
    const { client, server } = rtmpePair();
    const c1 = client.start();
    const s0s1s2 = feed(server, [c1]).output;
    const c2 = feed(client, [s0s1s2]).output;
    const s2 = s0s1s2.subarray(1537);
    const context = { role: 'server', c0Version: 6, s0Version: 8, layout: 'key-first' } as const;
    const s2Key = signatureKey(server.peerDigest!, FMS_KEY);
    const plainS2 = computeSignature(s2, s2Key);
    expect(s2.subarray(1504)).toEqual(fakeCipher(plainS2, s2Key, context));
    expect(s2.subarray(1504)).not.toEqual(plainS2);
    const c2Key = signatureKey(client.peerDigest!, FP_KEY);
    expect(c2.subarray(1504)).toEqual(fakeCipher(computeSignature(c2, c2Key), c2Key, context));
  });

  it('hands hooks the role, both version bytes and the layout', () => {
    const { client, server, clientSeen, serverSeen } = rtmpePair();
    feed(server, [feed(client, [feed(server, [client.start()]).output]).output]);
    expect(clientSeen.contexts[0]).toEqual({ role: 'client', c0Version: 6, s0Version: undefined, layout: 'key-first' });
    expect(clientSeen.contexts.slice(1)).toContainEqual({ role: 'client', c0Version: 6, s0Version: 8, layout: 'key-first' });
    expect(serverSeen.contexts.every((c) => c.role === 'server' && c.c0Version === 6 && c.s0Version === 8)).toBe(true);
  });

  it('a transform that differs between the sides fails the client and is noted by the server', () => {
    const other = (signature: Buffer) => Buffer.from(signature.map((byte) => byte ^ 0x55));
    const { client, server } = rtmpePair(fakeCipher, other);
    expect(() => feed(client, [feed(server, [client.start()]).output])).toThrow(/S2 signature/);

    const second = rtmpePair(other, fakeCipher, false);
    const s0s1s2 = feed(second.server, [second.client.start()]).output;
    const c2 = feed(second.client, [s0s1s2]).output;
    expect(second.client.responseMatch).toBe('mismatch');
    expect(feed(second.server, [c2]).done).toBe(true);
    expect(second.server.responseMatch).toBe('mismatch');
  });

  it('version 6 needs a digest: a C1 without one is refused', () => {
    const server = new ServerHandshake({ extension: fakeRtmpe(SERVER_KEY, newRecorder()) });
    expect(() => server.receive(Buffer.concat([Buffer.of(6), Buffer.alloc(1536)]))).toThrow(/requires/);
  });

  it('a client whose extension does not accept 3 refuses a plain server', () => {
    const client = new ClientHandshake({ extension: fakeRtmpe(CLIENT_KEY, newRecorder()) });
    client.start();
    expect(() => client.receive(Buffer.of(3))).toThrow(/unsupported RTMP version 3/);
  });

  it('a hook that throws an ordinary error fails the handshake with a HandshakeError', () => {
    const bad = new Error('peer key out of range');
    const extension = { ...fakeRtmpe(SERVER_KEY, newRecorder()), peerPublicKey: () => { throw bad; } };
    const server = new ServerHandshake({ extension });
    const client = new ClientHandshake({ extension: fakeRtmpe(CLIENT_KEY, newRecorder()) });
    let error: unknown;
    try {
      server.receive(client.start());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as Error).cause).toBe(bad);
  });

  it('a public key that is not 128 bytes is refused', () => {
    const extension = { ...fakeRtmpe(CLIENT_KEY, newRecorder()), ownPublicKey: () => Buffer.alloc(64) };
    expect(() => new ClientHandshake({ extension }).start()).toThrow(/128 bytes/);
  });
});
