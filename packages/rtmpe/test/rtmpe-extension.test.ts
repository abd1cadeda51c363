import {
  ClientHandshake,
  FMS_KEY,
  FP_KEY_TEXT,
  HandshakeError,
  ServerHandshake,
  computeSignature,
  findDigest,
  keyPosition,
  signatureKey,
} from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../src/crypto/dh.js';
import type { Rc4Keys } from '../src/crypto/rc4-keys.js';
import { rtmpeSignature } from '../src/rtmpe/signature-cipher.js';
import { RtmpeExtension, type RtmpeHandshakeOptions } from '../src/rtmpe/rtmpe-extension.js';
import { runHandshake, seededRandom } from './helpers/handshake.js';

function pair(serverOptions: RtmpeHandshakeOptions = {}, clientOptions: RtmpeHandshakeOptions = {}, flashVersion?: Uint8Array) {
  const seen = { client: [] as (readonly Rc4Keys[])[], server: [] as (readonly Rc4Keys[])[] };
  const clientExtension = new RtmpeExtension(clientOptions, { keys: (keys) => seen.client.push(keys) });
  const serverExtension = new RtmpeExtension(serverOptions, { keys: (keys) => seen.server.push(keys) });
  const client = new ClientHandshake({ random: seededRandom(7), extension: clientExtension, flashVersion });
  const server = new ServerHandshake({ random: seededRandom(8), extension: serverExtension, strictC2: true });
  return { client, server, clientExtension, serverExtension, seen };
}

describe('the RTMPE handshake extension', () => {
  it('client: C0 = 6, C1 version 128.0.3.2, key-first layout, our public key in the key block under the digest', () => {
    const { client, clientExtension } = pair();
    const c0c1 = client.start();
    const c1 = c0c1.subarray(1);
    expect(c0c1[0]).toBe(6);
    expect([...c1.subarray(4, 8)]).toEqual([0x80, 0, 3, 2]);
    expect(findDigest(c1, FP_KEY_TEXT)?.layout).toBe('key-first');
    const at = keyPosition(c1, 'key-first');
    expect(c1.subarray(at, at + 128)).toEqual(clientExtension.keyPair.publicKey);
  });

  for (const type of [6, 8, 9] as const) {
    it(`type ${type}: both ends finish with checked signatures and matching RC4 keys`, () => {
      const { client, server, seen } = pair({ serverType: type });
      const { s0s1s2 } = runHandshake(client, server);
      expect(s0s1s2[0]).toBe(type);
      expect([client.handshakeType, server.handshakeType]).toEqual([type, type]);
      expect([client.responseMatch, server.responseMatch]).toEqual(['signature', 'signature']);
      expect(seen.client).toHaveLength(1);
      expect(seen.server).toHaveLength(1);
      const clientKeys = seen.client[0]![0]!;
      const serverKeys = seen.server[0]![0]!;
      expect(clientKeys.keyOut).toEqual(serverKeys.keyIn);
      expect(clientKeys.keyIn).toEqual(serverKeys.keyOut);
    });
  }

  it('types 8 and 9 put the encrypted signature on the wire (S2 = cipher of the plain signature)', () => {
    for (const type of [8, 9] as const) {
      const { client, server } = pair({ serverType: type });
      const { s0s1s2 } = runHandshake(client, server);
      const s2 = s0s1s2.subarray(1537);
      const key = signatureKey(server.peerDigest!, FMS_KEY);
      const plain = computeSignature(s2, key);
      expect(s2.subarray(1504)).toEqual(rtmpeSignature(type, plain, key));
      expect(s2.subarray(1504)).not.toEqual(plain);
    }
  });

  it("server 'auto': 8 for a C1 whose byte 4 is 128 (librtmp's rule), else the client's C0", () => {
    const librtmpLike = pair();
    runHandshake(librtmpLike.client, librtmpLike.server);
    expect(librtmpLike.server.handshakeType).toBe(8);
    const other = pair({}, {}, Buffer.from([9, 0, 124, 2]));
    runHandshake(other.client, other.server);
    expect(other.server.handshakeType).toBe(6);
  });

  it("the server mirrors the client's layout by default, or writes the layout it is told", () => {
    const mirrored = pair();
    const { s0s1s2 } = runHandshake(mirrored.client, mirrored.server);
    expect(mirrored.server.ownLayout).toBe('key-first');
    expect(findDigest(s0s1s2.subarray(1, 1537), Buffer.from('Genuine Adobe Flash Media Server 001'))?.layout).toBe('key-first');
    const digestFirst = pair({ serverLayout: 'digest-first' });
    runHandshake(digestFirst.client, digestFirst.server);
    expect(digestFirst.server.ownLayout).toBe('digest-first');
    expect(digestFirst.client.peerLayout).toBe('digest-first');
    expect(digestFirst.seen.client[0]![0]!.keyOut).toEqual(digestFirst.seen.server[0]![0]!.keyIn);
  });

  it('each end reads the other\'s public key from the layout whose digest checked out', () => {
    const { client, server, clientExtension, serverExtension } = pair({ serverLayout: 'digest-first' });
    runHandshake(client, server);
    const s1 = client.peerPacket!;
    const at = keyPosition(s1, client.peerLayout!);
    expect(s1.subarray(at, at + 128)).toEqual(serverExtension.keyPair.publicKey);
    const c1 = server.peerPacket!;
    expect(c1.subarray(keyPosition(c1, 'key-first'), keyPosition(c1, 'key-first') + 128)).toEqual(clientExtension.keyPair.publicKey);
  });

  it('a client refuses a server that answers with a plain (3) or unknown type', () => {
    const client = new ClientHandshake({ extension: new RtmpeExtension() });
    client.start();
    expect(() => client.receive(Buffer.of(3))).toThrow(HandshakeError);
    const other = new ClientHandshake({ extension: new RtmpeExtension() });
    other.start();
    expect(() => other.receive(Buffer.of(7))).toThrow(/unsupported RTMP version 7/);
  });

  it('a server refuses plain clients unless acceptPlain, and then reports them', () => {
    const plainClient = () => new ClientHandshake({ random: seededRandom(3) });
    expect(() => new ServerHandshake({ extension: new RtmpeExtension() }).receive(plainClient().start())).toThrow(/unsupported RTMP version 3/);
    let plain = 0;
    const extension = new RtmpeExtension({ acceptPlain: true }, { plain: () => plain++, keys: () => expect.fail('no keys for a plain client') });
    const server = new ServerHandshake({ extension });
    runHandshake(plainClient(), server);
    expect(server.handshakeType).toBe(3);
    expect([plain, extension.plain, extension.keyCandidates]).toEqual([1, true, undefined]);
  });

  it('a peer public key outside the subgroup fails the handshake with a HandshakeError', () => {
    // A client whose "public key" is P - 2: in range, but not a key anyone can have made.
    const bad = { privateKey: Buffer.of(1), publicKey: Buffer.from('FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFD', 'hex') };
    const client = new ClientHandshake({ extension: new RtmpeExtension({ keyPair: bad }) });
    const server = new ServerHandshake({ extension: new RtmpeExtension() });
    expect(() => server.receive(client.start())).toThrow(/subgroup/);
  });

  it("secretPadding 'auto' yields one key pair for an unambiguous secret, two (trailing first) for a short one", () => {
    const client = generateKeyPair(Buffer.of(10)); // 2^10
    const ambiguous = generateKeyPair(Buffer.of(101)); // secret 2^1010: 127 bytes
    const plainOne = generateKeyPair(Buffer.of(102)); // secret 2^1020: 128 bytes
    const run = (serverKeyPair: typeof client) => {
      const { client: c, server: s, seen } = pair({ keyPair: serverKeyPair, secretPadding: 'auto' }, { keyPair: client });
      runHandshake(c, s);
      return seen;
    };
    const short = run(ambiguous);
    expect(short.server[0]).toHaveLength(2);
    expect(short.client[0]).toHaveLength(1); // the client's default: trailing zeros only
    expect(short.server[0]![0]).toEqual({ keyIn: short.client[0]![0]!.keyOut, keyOut: short.client[0]![0]!.keyIn });
    expect(short.server[0]![1]!.keyIn).not.toEqual(short.server[0]![0]!.keyIn);
    expect(run(plainOne).server[0]).toHaveLength(1);
  });
});
