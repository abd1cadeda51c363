import { describe, expect, it } from 'vitest';
import {
  RtmfpHandshakeError,
  assertNoHmacOrSseq,
  decodeKeyingComponent,
  initiatorComponent,
  responderComponent,
  DH_GROUP_2,
  DhKeyPair,
} from '../src/index.js';
import { hex } from './helpers/hex.js';
import { scriptedRandom } from './helpers/random.js';

const RANDOM = Buffer.alloc(64, 0x77);

describe('session keying components (RFC 7425 §4.6)', () => {
  it("builds Flash Player's SKIC for a static key", () => {
    const skic = initiatorComponent(2, undefined, scriptedRandom(RANDOM));
    expect(skic).toEqual(hex`
      02 1d 02                    # group select: use my certificate's group 2 key
      41 0e ${RANDOM.toString('hex')}   # 64 bytes of extra randomness
      03 1a 02 0a                 # HMAC: send on request, 10 bytes
      02 1e 02                    # session sequence numbers: send on request
    `);
    expect(decodeKeyingComponent(skic)).toMatchObject({ groupSelect: 2, extraRandomness: RANDOM, hmac: { flags: 2, length: 10 }, sseq: { flags: 2 } });
  });

  it('builds the Cumulus-style SKRC: both declined, then the ephemeral key', () => {
    const pair = new DhKeyPair(DH_GROUP_2, Buffer.alloc(28, 0x42));
    const skrc = responderComponent(2, pair, scriptedRandom());
    expect(skrc).toEqual(hex`
      03 1a 00 00        # HMAC declined
      02 1e 00           # sequence numbers declined
      81 02 0d 02 ${pair.publicKey.toString('hex')}   # ephemeral group 2 key (130-byte option)
    `);
    const decoded = decodeKeyingComponent(skrc);
    expect(decoded.ephemeralKeys.get(2)).toEqual(pair.publicKey);
    expect(decoded.raw).toEqual(skrc);
    expect(() => assertNoHmacOrSseq(decoded)).not.toThrow();
  });

  it('a static responder sends extra randomness instead of a key', () => {
    const skrc = responderComponent(14, undefined, scriptedRandom(RANDOM));
    expect(skrc).toEqual(hex`03 1a 00 00 02 1e 00 41 0e ${RANDOM.toString('hex')}`);
  });

  it('refuses peers that insist on HMAC or sequence numbers', () => {
    for (const component of [hex`03 1a 04 10`, hex`03 1a 01 10`, hex`02 1e 04`, hex`02 1e 05`]) {
      expect(() => assertNoHmacOrSseq(decodeKeyingComponent(component))).toThrow(RtmfpHandshakeError);
    }
    expect(() => assertNoHmacOrSseq(decodeKeyingComponent(hex`03 1a 02 0a 02 1e 02`))).not.toThrow(); // only "on request"
    expect(() => assertNoHmacOrSseq(decodeKeyingComponent(hex`01 1a 01 1e`))).not.toThrow(); // empty values read as 0
  });

  it('keeps the exact bytes, including options it does not know', () => {
    const skic = hex`02 1d 02 03 7f 01 02`;
    expect(decodeKeyingComponent(skic).raw).toEqual(skic);
  });

  it('refuses a component that is not an option list', () => {
    for (const bad of [hex`05 1d`, hex`01 0d`, hex`02 0d 81`]) {
      expect(() => decodeKeyingComponent(bad)).toThrow(RtmfpHandshakeError);
    }
  });
});
