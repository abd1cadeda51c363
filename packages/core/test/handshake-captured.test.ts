import { createHmac } from 'node:crypto';
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
} from '../src/handshake/index.js';
import { feed, handshakeFixture } from './fixtures/handshake/handshake-support.js';
import { hex } from './helpers/hex.js';

/** One captured handshake against nginx-rtmp (see test/fixtures/handshake/README.md). */
function capture(name: string) {
  const c0c1 = handshakeFixture(`${name}.c0c1`);
  const s0s1s2 = handshakeFixture(`${name}.s0s1s2`);
  const c2 = handshakeFixture(`${name}.c2`);
  expect([c0c1.length, s0s1s2.length, c2.length]).toEqual([1537, 3073, 1536]);
  return { c0c1, c1: c0c1.subarray(1), s1: s0s1s2.subarray(1, 1537), s2: s0s1s2.subarray(1537), s0s1s2, c2 };
}

/** The full keys written out again here, so the checks below do not lean on our constants. */
const TAIL = hex`f0 ee c2 4a 80 68 be e8 2e 00 d0 d1 02 9e 7e 57 6e ec 5d 2d 29 80 6f ab 93 b8 e6 36 cf eb 31 ae`;
const FMS_FULL = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001'), TAIL]);
const FP_FULL = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001'), TAIL]);

/** Signature check done with createHmac only. */
function independentlySigned(response: Buffer, peerDigest: Buffer, fullKey: Buffer): boolean {
  const key = createHmac('sha256', fullKey).update(peerDigest).digest();
  return createHmac('sha256', key).update(response.subarray(0, 1504)).digest().equals(response.subarray(1504));
}

/** A random source that hands out the given byte runs in order: replays a peer's "random" bytes. */
function replay(...runs: Buffer[]): (size: number) => Buffer {
  return (size) => {
    const next = runs.shift();
    if (!next || next.length !== size) throw new Error(`replay: asked for ${size} bytes`);
    return next;
  };
}

describe('captured digest handshakes: where the fact sheet says', () => {
  const cases = [
    { name: 'ffmpeg-publish', version: '09007c02', c1At: 494, s1At: 19, c2: 'echo' },
    { name: 'ffmpeg-play', version: '09007c02', c1At: 494, s1At: 429, c2: 'signed' },
    { name: 'rtmpdump-fp9', version: '0a002d02', c1At: 430, s1At: 270, c2: 'signed' },
  ] as const;

  for (const { name, version, c1At, s1At, c2: c2Kind } of cases) {
    it(`${name}: C1 digest-first with the FP key, nginx S1 digest-first with the FMS key`, () => {
      const { c0c1, c1, s1 } = capture(name);
      expect(c0c1[0]).toBe(3);
      expect(c1.subarray(4, 8).toString('hex')).toBe(version);
      expect(findDigest(c1, FP_KEY_TEXT)).toMatchObject({ layout: 'digest-first', position: c1At });
      expect(findDigest(c1, FMS_KEY_TEXT)).toBeUndefined();
      expect(s1.subarray(4, 8)).toEqual(hex`0d 0e 0a 0d   # nginx-rtmp server version`);
      expect(findDigest(s1, FMS_KEY_TEXT)).toMatchObject({ layout: 'digest-first', position: s1At });
    });

    it(`${name}: nginx's S2 is signed for the C1 digest`, () => {
      const { c1, s2 } = capture(name);
      const c1Digest = findDigest(c1, FP_KEY_TEXT)!.digest;
      expect(independentlySigned(s2, c1Digest, FMS_FULL)).toBe(true);
      expect(computeSignature(s2, signatureKey(c1Digest, FMS_KEY))).toEqual(s2.subarray(1504));
    });

    const c2Says = c2Kind === 'echo' ? 'S1 sent back (FFmpeg does not sign when publishing)' : 'signed for the S1 digest';
    it(`${name}: the client's C2 is ${c2Says}`, () => {
      const { s1, c2 } = capture(name);
      const s1Digest = findDigest(s1, FMS_KEY_TEXT)!.digest;
      if (c2Kind === 'echo') {
        expect(c2).toEqual(s1);
      } else {
        expect(independentlySigned(c2, s1Digest, FP_FULL)).toBe(true);
        expect(computeSignature(c2, signatureKey(s1Digest, FP_KEY))).toEqual(c2.subarray(1504));
      }
    });

    it(`${name}: our ServerHandshake answers the real C0C1 with an S2 signed for it`, () => {
      const { c0c1, c1 } = capture(name);
      const server = new ServerHandshake();
      const s0s1s2 = feed(server, [c0c1]).output;
      expect(server.digest).toBe(true);
      expect(server.peerLayout).toBe('digest-first');
      expect(server.peerVersionBytes!.toString('hex')).toBe(version);
      expect(server.peerTime).toBe(c1.readUInt32BE(0));
      expect(findDigest(s0s1s2.subarray(1, 1537), FMS_KEY_TEXT)).toBeDefined();
      expect(independentlySigned(s0s1s2.subarray(1537), findDigest(c1, FP_KEY_TEXT)!.digest, FMS_FULL)).toBe(true);
    });

    it(`${name}: our ServerHandshake, given nginx's clock and random bytes, rebuilds S1 and S2 and accepts C2`, () => {
      const { c0c1, s0s1s2, s1, s2, c2 } = capture(name);
      const server = new ServerHandshake({ now: () => s1.readUInt32BE(0), random: replay(s1.subarray(8), s2.subarray(0, 1504)) });
      expect(feed(server, [c0c1]).output).toEqual(s0s1s2);
      expect(feed(server, [c2]).done).toBe(true);
      expect(server.responseMatch).toBe(c2Kind === 'echo' ? 'echo' : 'signature');
    });

    it(`${name}: our ClientHandshake, given the client's clock and random bytes, rebuilds C1, checks nginx's S2 and signs C2`, () => {
      const { c0c1, c1, s0s1s2, c2 } = capture(name);
      const client = new ClientHandshake({
        flashVersion: c1.subarray(4, 8),
        now: () => c1.readUInt32BE(0),
        random: replay(c1.subarray(8), c2.subarray(0, 1504)),
      });
      expect(client.start()).toEqual(c0c1);
      const result = feed(client, [s0s1s2]);
      expect(result.done).toBe(true);
      expect(client.digest).toBe(true);
      expect(client.responseMatch).toBe('signature');
      if (c2Kind === 'signed') expect(result.output).toEqual(c2);
    });
  }
});

describe('captured plain handshake (rtmpdump without SWF options)', () => {
  it('nginx sends C1 back as S1 and as S2, and rtmpdump sends S1 back as C2', () => {
    const { c1, s1, s2, c2 } = capture('rtmpdump-plain');
    expect(c1.subarray(4, 8)).toEqual(hex`00 00 00 00   # plain: zero version bytes`);
    expect(findDigest(c1, FP_KEY_TEXT)).toBeUndefined();
    expect(s1).toEqual(c1);
    expect(s2).toEqual(c1);
    expect(c2).toEqual(s1);
  });

  it('our ServerHandshake answers plainly, its S2 echoing the real C1', () => {
    const { c0c1, c1 } = capture('rtmpdump-plain');
    const server = new ServerHandshake({ now: () => 0 });
    const s0s1s2 = feed(server, [c0c1]).output;
    expect(server.digest).toBe(false);
    expect(s0s1s2.subarray(5, 9)).toEqual(hex`00 00 00 00   # plain S1`);
    // nginx's S2 is C1 unchanged; ours has the read time (here 0) in bytes 4..7, which C1 also has as zero
    expect(s0s1s2.subarray(1537)).toEqual(c1);
  });

  it('our plain ClientHandshake, given rtmpdump\'s clock and random bytes, produces its exact C1 and C2', () => {
    const { c0c1, c1, s0s1s2, c2 } = capture('rtmpdump-plain');
    const times = [c1.readUInt32BE(0), 0];
    const client = new ClientHandshake({ digest: false, now: () => times.shift()!, random: replay(c1.subarray(8)) });
    expect(client.start()).toEqual(c0c1);
    const result = feed(client, [s0s1s2]);
    expect(result.output).toEqual(c2);
    expect(result.done).toBe(true);
    expect(client.responseMatch).toBe('echo');
  });
});

describe('bytes after C2 (FFmpeg sends connect right behind it)', () => {
  it('our ServerHandshake fed FFmpeg\'s whole opening hands back the connect chunk as remainder', () => {
    const { c0c1, c2 } = capture('ffmpeg-publish');
    const afterC2 = handshakeFixture('ffmpeg-publish.after-c2');
    expect(afterC2.subarray(12, 22).toString('latin1')).toBe('\u0002\u0000\u0007connect');
    const server = new ServerHandshake();
    const result = feed(server, [Buffer.concat([c0c1, c2, afterC2])]);
    expect(result.done).toBe(true);
    expect(result.remainder).toEqual(afterC2);
    // FFmpeg's C2 echoes nginx's S1, not ours: only noted
    expect(server.responseMatch).toBe('mismatch');
  });
});
