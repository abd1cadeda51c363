import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandshakeError, RtmpError } from '../src/errors/index.js';
import { ClientHandshake, ServerHandshake } from '../src/handshake/index.js';
import { feed, seededRandom } from './fixtures/handshake/handshake-support.js';
import { hex } from './helpers/hex.js';

/** Runs `action` and returns what it threw (failing the test when it threw nothing). */
function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Our server's answer to a fresh digest client, plus that client, ready for S0S1S2. */
function digestExchange() {
  const client = new ClientHandshake({ random: seededRandom(11) });
  const server = new ServerHandshake({ random: seededRandom(12) });
  const s0s1s2 = Buffer.from(feed(server, [client.start()]).output);
  return { client, server, s0s1s2 };
}

describe('version bytes that are not RTMP', () => {
  it('an HTTP request instead of C0 fails, saying it is not RTMP', () => {
    const error = thrown(() => new ServerHandshake().receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as Error).message).toMatch(/not RTMP at all/);
    expect((error as Error).message).toMatch(/HTTP/);
    expect((error as HandshakeError).code).toBe('ERR_RTMP_HANDSHAKE');
  });

  it('a TLS ClientHello instead of C0 fails, naming TLS', () => {
    const hello = hex`
      16         # TLS record type 22: handshake
      03 01      # record version TLS 1.0
      00 2f      # record length
      01         # ClientHello
    `;
    const error = thrown(() => new ServerHandshake().receive(hello));
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as Error).message).toMatch(/TLS/);
  });

  it('every byte from 32 to 255 is refused as C0 and as S0', () => {
    for (let byte = 32; byte <= 255; byte++) {
      expect(() => new ServerHandshake().receive(Buffer.of(byte))).toThrow(/not RTMP at all/);
      const client = new ClientHandshake();
      client.start();
      expect(() => client.receive(Buffer.of(byte))).toThrow(/not RTMP at all/);
    }
  });

  it('versions 0..31 other than 3 are unsupported without an extension', () => {
    for (let byte = 0; byte < 32; byte++) {
      if (byte === 3) continue;
      expect(() => new ServerHandshake().receive(Buffer.of(byte))).toThrow(HandshakeError);
      const client = new ClientHandshake();
      client.start();
      expect(() => client.receive(Buffer.of(byte))).toThrow(HandshakeError);
    }
    expect(() => new ServerHandshake().receive(Buffer.of(6))).toThrow(/unsupported RTMP version 6/);
  });

  it('fails on the first byte, without waiting for C1', () => {
    const server = new ServerHandshake();
    expect(() => server.receive(Buffer.of(0x50))).toThrow(HandshakeError);
  });
});

describe('a server that is not genuine', () => {
  it('a corrupted S1 digest is refused when verifying', () => {
    const { client, s0s1s2 } = digestExchange();
    const s1 = s0s1s2.subarray(1, 1537);
    const digestAt = ((s1[8]! + s1[9]! + s1[10]! + s1[11]!) % 728) + 12; // digest-first position
    s0s1s2[1 + digestAt] ^= 0x01;
    expect(() => client.receive(s0s1s2)).toThrow(/no valid FMS digest/);
  });

  it('a corrupted S1 digest is taken as a plain server when not verifying', () => {
    const client = new ClientHandshake({ random: seededRandom(11), verifyServer: false });
    const server = new ServerHandshake({ random: seededRandom(12) });
    const s0s1s2 = Buffer.from(feed(server, [client.start()]).output);
    s0s1s2[1 + 100] ^= 0xff; // any S1 byte breaks the digest
    const result = feed(client, [s0s1s2]);
    expect(result.done).toBe(true);
    expect(client.digest).toBe(false);
    expect(client.responseMatch).toBe('mismatch');
  });

  it('a corrupted S2 signature fails when verifying', () => {
    const { client, s0s1s2 } = digestExchange();
    s0s1s2[1537 + 1535] ^= 0x80; // last signature byte
    const error = thrown(() => client.receive(s0s1s2));
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as Error).message).toMatch(/S2 signature/);
    expect(client.digest).toBe(true);
    expect(client.responseMatch).toBe('mismatch');
  });

  it('a changed byte in the signed part of S2 fails as well', () => {
    const { client, s0s1s2 } = digestExchange();
    s0s1s2[1537 + 10] ^= 0x01;
    expect(() => client.receive(s0s1s2)).toThrow(/S2 signature/);
  });

  it('a corrupted S2 signature is only noted with verifyServer off', () => {
    const client = new ClientHandshake({ random: seededRandom(11), verifyServer: false });
    const server = new ServerHandshake({ random: seededRandom(12) });
    const s0s1s2 = Buffer.from(feed(server, [client.start()]).output);
    s0s1s2[1537 + 1504] ^= 0x01;
    expect(feed(client, [s0s1s2]).done).toBe(true);
    expect(client.digest).toBe(true);
    expect(client.responseMatch).toBe('mismatch');
  });
});

describe('a client whose C2 is wrong', () => {
  function corruptedC2(strictC2: boolean) {
    const client = new ClientHandshake({ random: seededRandom(21) });
    const server = new ServerHandshake({ random: seededRandom(22), strictC2 });
    const s0s1s2 = feed(server, [client.start()]).output;
    const c2 = Buffer.from(feed(client, [s0s1s2]).output);
    c2[1520] ^= 0x01;
    return { server, c2 };
  }

  it('is noted by default, like FFmpeg and librtmp', () => {
    const { server, c2 } = corruptedC2(false);
    expect(feed(server, [c2]).done).toBe(true);
    expect(server.responseMatch).toBe('mismatch');
  });

  it('fails with strictC2', () => {
    const { server, c2 } = corruptedC2(true);
    expect(() => server.receive(c2)).toThrow(/strictC2/);
  });

  it('a plain C2 that does not echo S1 fails with strictC2', () => {
    const client = new ClientHandshake({ digest: false });
    const server = new ServerHandshake({ strictC2: true });
    feed(server, [client.start()]);
    expect(() => server.receive(Buffer.alloc(1536, 7))).toThrow(HandshakeError);
  });
});

describe('misuse and failure state', () => {
  it('start() twice, and receive() before start(), are refused without breaking the client', () => {
    const client = new ClientHandshake();
    expect(() => client.receive(Buffer.of(3))).toThrow(/start\(\)/);
    client.start();
    expect(() => client.start()).toThrow(HandshakeError);
    expect(client.receive(Buffer.of(3)).done).toBe(false);
  });

  it('after a failure every later call throws, with the first error as cause', () => {
    const server = new ServerHandshake();
    const first = thrown(() => server.receive(Buffer.of(0xff)));
    const later = thrown(() => server.receive(Buffer.of(3)));
    expect(later).toBeInstanceOf(HandshakeError);
    expect((later as Error).cause).toBe(first);
  });

  it('a random source that returns the wrong length is a HandshakeError', () => {
    const client = new ClientHandshake({ random: (size) => Buffer.alloc(size - 1) });
    expect(() => client.start()).toThrow(/random source/);
  });

  it('version bytes that are not 4 bytes are refused', () => {
    expect(() => new ClientHandshake({ flashVersion: Buffer.of(1, 2, 3) }).start()).toThrow(HandshakeError);
  });
});

describe('random input', () => {
  const input = fc.record({
    startsLikeRtmp: fc.boolean(),
    bytes: fc.uint8Array({ maxLength: 3500 }),
    cut: fc.nat(),
  });

  function onlyRtmpErrors(run: () => void): void {
    try {
      run();
    } catch (error) {
      if (!RtmpError.isInstance(error)) throw error;
    }
  }

  /** Feeds the bytes in two pieces; only an RtmpError may come out, and each call returns. */
  function pieces({ startsLikeRtmp, bytes, cut }: { startsLikeRtmp: boolean; bytes: Uint8Array; cut: number }): Buffer[] {
    const all = Buffer.concat([startsLikeRtmp ? Buffer.of(3) : Buffer.alloc(0), bytes]);
    const at = all.length === 0 ? 0 : cut % all.length;
    return [all.subarray(0, at), all.subarray(at)];
  }

  it('a server fed anything ends well or with an RtmpError', () => {
    fc.assert(
      fc.property(input, fc.boolean(), (sample, strictC2) => {
        onlyRtmpErrors(() => feed(new ServerHandshake({ strictC2 }), pieces(sample)));
      }),
      { numRuns: 150 },
    );
  });

  it('a client fed anything ends well or with an RtmpError', () => {
    fc.assert(
      fc.property(input, fc.boolean(), fc.boolean(), (sample, digest, verifyServer) => {
        const client = new ClientHandshake({ digest, verifyServer });
        client.start();
        onlyRtmpErrors(() => feed(client, pieces(sample)));
      }),
      { numRuns: 150 },
    );
  });
});
