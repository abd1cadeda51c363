import fc from 'fast-check';
import { ByteReader, RtmpError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import {
  ChunkType,
  CookieJar,
  DEFAULT_CIPHER,
  RtmfpInitiator,
  RtmfpResponder,
  decodeCertificate,
  decodeChunk,
  decodeEpd,
  decodeKeyingComponent,
  decodeOptionList,
  decodePlainPacket,
  encodeChunk,
  flashClientIdentity,
  flowFragments,
  internetChecksum,
  openPacket,
  openStartupPacket,
  peekSessionId,
  readAddress,
  readOptionList,
  readVlu,
  serverEpd,
  serverIdentity,
  type Chunk,
} from '../src/index.js';
import { anyChunk } from './helpers/arbitraries.js';
import { CLIENT } from './helpers/handshake.js';
import { seededRandom } from './helpers/random.js';

// Whatever arrives, a decoder may only return a value or throw an RtmpError: never a TypeError,
// a RangeError, a hang, or something thrown from deep inside Node.

function onlyRtmpErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!RtmpError.isInstance(error)) throw error;
  }
}

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

/** A valid encoding with a few bytes overwritten. */
function mutated(base: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([buffer, edits]) => {
    const copy = Buffer.from(buffer);
    if (copy.length > 0) for (const [at, value] of edits) copy[at % copy.length] = value;
    return copy;
  });
}

const KNOWN_TYPES = Object.values(ChunkType);

describe('random bytes end in an RtmpError or a value', () => {
  it('datagrams: peekSessionId, openPacket, openStartupPacket', () => {
    fc.assert(
      fc.property(bytes(300), (datagram) => {
        onlyRtmpErrors(() => peekSessionId(datagram));
        onlyRtmpErrors(() => openPacket(datagram, DEFAULT_CIPHER, { maxDatagramSize: 200 }));
        onlyRtmpErrors(() => openStartupPacket(datagram));
      }),
      { numRuns: 1000 },
    );
  });

  it('plaintexts with a valid checksum: header and chunk framing', () => {
    fc.assert(
      fc.property(bytes(200), (afterChecksum) => {
        const plain = Buffer.concat([Buffer.alloc(2), afterChecksum]);
        plain.writeUInt16BE(internetChecksum(plain, 2), 0);
        onlyRtmpErrors(() => {
          for (const chunk of decodePlainPacket(plain).chunks) onlyRtmpErrors(() => decodeChunk(chunk));
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('every chunk type with a random payload', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_TYPES), bytes(120), (type, payload) => {
        onlyRtmpErrors(() => decodeChunk({ type, payload }));
      }),
      { numRuns: 3000 },
    );
  });

  it('every chunk type with a valid payload, bytes changed or cut', () => {
    fc.assert(
      fc.property(anyChunk, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (chunk, edits, cut) => {
        const raw = encodeChunk(chunk);
        const payload = Buffer.from(raw.payload);
        for (const [at, value] of edits) if (payload.length > 0) payload[at % payload.length] = value;
        onlyRtmpErrors(() => decodeChunk({ type: raw.type, payload }));
        onlyRtmpErrors(() => decodeChunk({ type: raw.type, payload: payload.subarray(0, cut % (payload.length + 1)) }));
      }),
      { numRuns: 3000 },
    );
  });

  it('VLUs, option lists and addresses', () => {
    fc.assert(
      fc.property(bytes(40), (input) => {
        onlyRtmpErrors(() => readVlu(new ByteReader(input)));
        onlyRtmpErrors(() => decodeOptionList(input));
        onlyRtmpErrors(() => readOptionList(new ByteReader(input), true));
        onlyRtmpErrors(() => readAddress(new ByteReader(input)));
      }),
      { numRuns: 2000 },
    );
  });

  it('certificates, EPDs and keying components, random and mutated', () => {
    const valid = fc.constantFrom(
      serverIdentity({ random: seededRandom('s') }).certificate,
      flashClientIdentity(seededRandom('c')).certificate,
      serverEpd('rtmfp://example/app'),
      Buffer.from('021d02410e' + '00'.repeat(64) + '031a020a021e02', 'hex'),
    );
    fc.assert(
      fc.property(fc.oneof(bytes(200), mutated(valid)), (input) => {
        onlyRtmpErrors(() => decodeCertificate(input));
        onlyRtmpErrors(() => decodeEpd(input));
        onlyRtmpErrors(() => decodeKeyingComponent(input));
      }),
      { numRuns: 1000 },
    );
  });

  it('cookies never throw: ok, mismatch or bad', () => {
    const jar = new CookieJar(Buffer.alloc(16, 1));
    const good = jar.issue(CLIENT, 50_000);
    fc.assert(
      fc.property(fc.oneof(bytes(80), mutated(fc.constant(good))), (cookie) => {
        expect(['ok', 'mismatch', 'bad']).toContain(jar.check(cookie, CLIENT, 50_000));
      }),
      { numRuns: 1000 },
    );
  });

  it('the responder, fed random IHellos and IIKeyings', () => {
    const responder = new RtmfpResponder({ identity: serverIdentity({ random: seededRandom('s') }), random: seededRandom('r'), now: () => 0 });
    const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://h/'), sessionId: 1, random: seededRandom('i') });
    const real = initiator.handleRHello(responder.handleIHello(initiator.ihello(), CLIENT)!);
    const field = (valid: Buffer) => fc.oneof(bytes(150), mutated(fc.constant(valid)), fc.constant(valid));
    fc.assert(
      fc.property(bytes(60), bytes(20), field(real.cookie), field(real.certificate), field(real.skic), fc.nat({ max: 0xffffffff }), (epd, tag, cookie, certificate, skic, id) => {
        onlyRtmpErrors(() => responder.handleIHello({ kind: 'ihello', epd, tag }, CLIENT));
        onlyRtmpErrors(() => responder.handleIIKeying({ kind: 'iikeying', initiatorSessionId: id, cookie, certificate, skic, signature: tag }, CLIENT, () => 2));
      }),
      { numRuns: 400 },
    );
  });

  it('the initiator, fed any chunk, random or aimed at it', () => {
    const responder = new RtmfpResponder({ random: seededRandom('r2'), now: () => 0 });
    fc.assert(
      fc.property(anyChunk, fc.boolean(), (chunk, aimed) => {
        const initiator = new RtmfpInitiator({ epd: serverEpd('rtmfp://h/'), sessionId: 1, identity: CLIENT_IDENTITY, random: seededRandom('i2') });
        let input: Chunk = chunk;
        if (aimed && chunk.kind === 'rhello') input = { ...chunk, tagEcho: initiator.tag };
        if (aimed && chunk.kind === 'rikeying') initiator.handleRHello(responder.handleIHello(initiator.ihello(), CLIENT)!);
        onlyRtmpErrors(() => initiator.receive(input));
      }),
      { numRuns: 400 },
    );
  });

  it('user data runs', () => {
    fc.assert(
      fc.property(fc.array(anyChunk, { maxLength: 8 }), (chunks) => {
        onlyRtmpErrors(() => flowFragments(chunks));
      }),
      { numRuns: 500 },
    );
  });
});

const CLIENT_IDENTITY = flashClientIdentity(seededRandom('client-identity'));
