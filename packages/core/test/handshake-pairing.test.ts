import { describe, expect, it } from 'vitest';
import {
  ClientHandshake,
  FMS_KEY,
  FMS_KEY_TEXT,
  FP_KEY,
  FP_KEY_TEXT,
  ServerHandshake,
  computeSignature,
  findDigest,
  signatureKey,
  writeDigest,
} from '../src/handshake/index.js';
import { feed, scriptedClock, seededRandom } from './fixtures/handshake/handshake-support.js';
import { hex, splits } from './helpers/hex.js';

/** What follows C2 or S2 on the wire: the first bytes of the chunk stream. */
const TAIL = hex`
  03 00 00 00 00 00 8c 14 00 00 00 00   # type-0 chunk header of a connect command
  02 00 07 63 6f 6e 6e 65 63 74         # AMF0 "connect"
`;

/** Runs our client against our server in memory, delivering each flight whole. */
function handshake(client: ClientHandshake, server: ServerHandshake) {
  const c0c1 = client.start();
  const serverFirst = feed(server, [c0c1]);
  const clientStep = feed(client, [serverFirst.output]);
  const serverLast = feed(server, [clientStep.output]);
  return { c0c1, s0s1s2: serverFirst.output, c2: clientStep.output, clientDone: clientStep.done, serverDone: serverLast.done };
}

/** Fresh deterministic sources per call: the same seeds give the same handshake bytes. */
const clientSources = () => ({ random: seededRandom(1), now: scriptedClock(1000, 1100) });
const serverSources = () => ({ random: seededRandom(2), now: scriptedClock(5000, 5100) });

describe('our client against our server', () => {
  it('plain client, digest-capable server: plain echo both ways', () => {
    const client = new ClientHandshake({ ...clientSources(), digest: false });
    const server = new ServerHandshake(serverSources());
    const run = handshake(client, server);
    expect([run.clientDone, run.serverDone]).toEqual([true, true]);
    expect(run.c0c1[0]).toBe(3);
    expect(run.c0c1.subarray(1, 9)).toEqual(hex`00 00 03 e8   # C1 time 1000
                                                 00 00 00 00   # zero: plain`);
    const s1 = run.s0s1s2.subarray(1, 1537);
    const s2 = run.s0s1s2.subarray(1537);
    expect(s1.subarray(0, 8)).toEqual(hex`00 00 13 88   # S1 time: the server's clock (5000)
                                          00 00 00 00   # zero: plain`);
    // S2 echoes C1 byte for byte, time2 included (nginx does; librtmp warns otherwise)
    expect(s2).toEqual(run.c0c1.subarray(1));
    // C2 = S1's time, the time the client read S1, S1's random bytes
    expect(run.c2.readUInt32BE(0)).toBe(5000);
    expect(run.c2.readUInt32BE(4)).toBe(1100);
    expect(run.c2.subarray(8)).toEqual(s1.subarray(8));
    for (const side of [client, server]) {
      expect(side.digest).toBe(false);
      expect(side.peerLayout).toBeUndefined();
      expect(side.responseMatch).toBe('echo');
      expect(side.handshakeType).toBe(3);
    }
    expect(server.peerTime).toBe(1000);
    expect(client.peerTime).toBe(5000);
  });

  it('digest client, digest server: digests found, signatures check out', () => {
    const client = new ClientHandshake(clientSources());
    const server = new ServerHandshake(serverSources());
    const run = handshake(client, server);
    expect([run.clientDone, run.serverDone]).toEqual([true, true]);
    const c1 = run.c0c1.subarray(1);
    const s1 = run.s0s1s2.subarray(1, 1537);
    const s2 = run.s0s1s2.subarray(1537);
    expect(c1.subarray(4, 8)).toEqual(hex`09 00 7c 02   # default Flash version 9.0.124.2`);
    expect(s1.subarray(4, 8)).toEqual(hex`0d 0e 0a 0d   # default server version (nginx's)`);
    const c1Digest = findDigest(c1, FP_KEY_TEXT);
    const s1Digest = findDigest(s1, FMS_KEY_TEXT);
    expect(c1Digest?.layout).toBe('digest-first');
    expect(s1Digest?.layout).toBe('digest-first');
    // the signatures, checked here with the low-level functions
    expect(s2.subarray(1504)).toEqual(computeSignature(s2, signatureKey(c1Digest!.digest, FMS_KEY)));
    expect(run.c2.subarray(1504)).toEqual(computeSignature(run.c2, signatureKey(s1Digest!.digest, FP_KEY)));
    expect(server.peerDigest).toEqual(c1Digest!.digest);
    expect(client.peerDigest).toEqual(s1Digest!.digest);
    for (const side of [client, server]) {
      expect(side.digest).toBe(true);
      expect(side.peerLayout).toBe('digest-first');
      expect(side.ownLayout).toBe('digest-first');
      expect(side.responseMatch).toBe('signature');
    }
    expect(server.peerVersionBytes).toEqual(hex`09 00 7c 02`);
    expect(client.peerVersionBytes).toEqual(hex`0d 0e 0a 0d`);
    expect(server.peerPacket).toEqual(c1);
    expect(client.peerPacket).toEqual(s1);
  });

  it('custom flashVersion and server version end up in C1 and S1', () => {
    const client = new ClientHandshake({ ...clientSources(), flashVersion: hex`0a 00 2d 02` });
    const server = new ServerHandshake({ ...serverSources(), version: hex`03 05 01 01` });
    handshake(client, server);
    expect(server.peerVersionBytes).toEqual(hex`0a 00 2d 02   # librtmp's FP9 version`);
    expect(client.peerVersionBytes).toEqual(hex`03 05 01 01   # librtmp server's version`);
    expect(client.digest && server.digest).toBe(true);
  });

  it('the same run gives the same bytes however the flights are split (server side)', () => {
    const reference = handshake(new ClientHandshake(clientSources()), new ServerHandshake(serverSources()));
    const stream = Buffer.concat([reference.c0c1, reference.c2, TAIL]);
    let runs = 0;
    for (const pieces of splits(stream)) {
      const server = new ServerHandshake(serverSources());
      const result = feed(server, pieces);
      // Buffer.equals: a deep toEqual on 3 KB, 3000 times over, is far too slow.
      const same = result.output.equals(reference.s0s1s2) && result.remainder.equals(TAIL);
      if (!same || !result.done || server.responseMatch !== 'signature') {
        const expected = { output: reference.s0s1s2, done: true, remainder: TAIL, match: 'signature' };
        expect({ pieces: pieces.length, ...result, match: server.responseMatch }).toEqual({ pieces: pieces.length, ...expected });
      }
      runs++;
    }
    expect(runs).toBe(stream.length + 2);
  });

  it('the same run gives the same bytes however the flights are split (client side)', () => {
    const reference = handshake(new ClientHandshake(clientSources()), new ServerHandshake(serverSources()));
    const stream = Buffer.concat([reference.s0s1s2, TAIL]);
    let runs = 0;
    for (const pieces of splits(stream)) {
      const client = new ClientHandshake(clientSources());
      const c0c1 = client.start();
      const result = feed(client, pieces);
      const same = c0c1.equals(reference.c0c1) && result.output.equals(reference.c2) && result.remainder.equals(TAIL);
      if (!same || !result.done || client.responseMatch !== 'signature') {
        const expected = { c0c1: reference.c0c1, output: reference.c2, done: true, remainder: TAIL, match: 'signature' };
        expect({ pieces: pieces.length, c0c1, ...result, match: client.responseMatch }).toEqual({ pieces: pieces.length, ...expected });
      }
      runs++;
    }
    expect(runs).toBe(stream.length + 2);
  });

  it('gives C2 as soon as S1 is complete, before S2 arrives', () => {
    const client = new ClientHandshake();
    const server = new ServerHandshake();
    const s0s1s2 = feed(server, [client.start()]).output;
    const first = client.receive(s0s1s2.subarray(0, 1537));
    expect(first.output).toHaveLength(1);
    expect(first.output[0]).toHaveLength(1536);
    expect(first.done).toBe(false);
    expect(first.remainder).toHaveLength(0);
    const last = client.receive(s0s1s2.subarray(1537));
    expect(last).toEqual({ output: [], done: true, remainder: Buffer.alloc(0) });
  });

  it('passes bytes received after the end straight through as remainder', () => {
    const client = new ClientHandshake();
    const server = new ServerHandshake();
    const s0s1s2 = feed(server, [client.start()]).output;
    const c2 = feed(client, [s0s1s2]).output;
    const step = server.receive(Buffer.concat([c2, TAIL.subarray(0, 5)]));
    expect(step.remainder).toEqual(TAIL.subarray(0, 5));
    expect(server.receive(TAIL.subarray(5))).toEqual({ output: [], done: true, remainder: TAIL.subarray(5) });
    expect(client.receive(new Uint8Array([1, 2]))).toEqual({ output: [], done: true, remainder: Buffer.from([1, 2]) });
  });
});

describe('our client against other kinds of server', () => {
  it('digest client meets an nginx-style echo server (S1 = S2 = C1): accepted, plain', () => {
    const client = new ClientHandshake(clientSources());
    const c0c1 = client.start();
    const c1 = c0c1.subarray(1);
    const result = feed(client, [Buffer.concat([Buffer.of(3), c1, c1])]);
    expect(result.done).toBe(true);
    expect(client.digest).toBe(false);
    expect(client.responseMatch).toBe('echo');
    expect(result.output.subarray(8)).toEqual(c1.subarray(8));
  });

  it('digest client meets an FFmpeg-style plain server (zero version bytes): accepted, plain', () => {
    const client = new ClientHandshake(clientSources());
    const c1 = client.start().subarray(1);
    const s1 = Buffer.concat([hex`00 00 00 07   # S1 time
                                  00 00 00 00   # zero version bytes`, Buffer.alloc(1528, 0x33)]);
    const s2 = Buffer.concat([c1.subarray(0, 4), Buffer.alloc(4), c1.subarray(8)]);
    const result = feed(client, [Buffer.of(3), s1, s2]);
    expect(result.done).toBe(true);
    expect(client.digest).toBe(false);
    expect(client.peerTime).toBe(7);
    expect(client.responseMatch).toBe('echo');
    expect(result.output.subarray(0, 4)).toEqual(hex`00 00 00 07   # C2 echoes S1's time`);
  });

  it('plain client meets a server that always sends an FMS digest: echoes S1, notes S2', () => {
    const client = new ClientHandshake({ ...clientSources(), digest: false });
    client.start();
    const s1 = seededRandom(9)(1536);
    s1.writeUInt32BE(0x0d0e0a0d, 4);
    writeDigest(s1, 'key-first', FMS_KEY_TEXT);
    const s2 = seededRandom(10)(1536);
    const result = feed(client, [Buffer.concat([Buffer.of(3), s1, s2])]);
    expect(result.done).toBe(true);
    expect(result.output.subarray(8)).toEqual(s1.subarray(8));
    expect(client.digest).toBe(false);
    expect(client.responseMatch).toBe('mismatch');
  });

  it('with verifyServer off, a server with version bytes but no digest is taken as plain', () => {
    const client = new ClientHandshake({ ...clientSources(), verifyServer: false });
    const c1 = client.start().subarray(1);
    const s1 = seededRandom(3)(1536);
    s1.writeUInt32BE(0x03050101, 4);
    const result = feed(client, [Buffer.of(3), s1, c1]);
    expect(result.done).toBe(true);
    expect(client.digest).toBe(false);
    expect(client.responseMatch).toBe('echo');
  });
});

describe('our server against other kinds of client', () => {
  it('a C1 with a version but no valid digest gets the plain answer', () => {
    const server = new ServerHandshake(serverSources());
    const c1 = seededRandom(4)(1536);
    c1.writeUInt32BE(0x09007c02, 4);
    const s0s1s2 = feed(server, [Buffer.of(3), c1]).output;
    expect(server.digest).toBe(false);
    expect(s0s1s2.subarray(5, 9)).toEqual(hex`00 00 00 00   # plain S1`);
    expect(s0s1s2.subarray(1537 + 8)).toEqual(c1.subarray(8));
  });

  it('a digest C1 in the key-first layout is found there; S1 stays digest-first', () => {
    const server = new ServerHandshake(serverSources());
    const c1 = seededRandom(5)(1536);
    c1.writeUInt32BE(0x80000302, 4);
    writeDigest(c1, 'key-first', FP_KEY_TEXT);
    const s0s1s2 = feed(server, [Buffer.of(3), c1]).output;
    expect(server.peerLayout).toBe('key-first');
    expect(findDigest(s0s1s2.subarray(1, 1537), FMS_KEY_TEXT)?.layout).toBe('digest-first');
  });

  it('an FFmpeg publisher that echoes S1 as C2 in digest mode passes as an echo', () => {
    const server = new ServerHandshake({ ...serverSources(), strictC2: true });
    const client = new ClientHandshake(clientSources());
    const s0s1s2 = feed(server, [client.start()]).output;
    const result = feed(server, [s0s1s2.subarray(1, 1537)]);
    expect(result.done).toBe(true);
    expect(server.digest).toBe(true);
    expect(server.responseMatch).toBe('echo');
  });
});
