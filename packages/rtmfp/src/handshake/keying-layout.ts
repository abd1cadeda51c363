import {
  ephemeralKeyOption,
  extraRandomnessOption,
  groupSelectOption,
  hmacNegotiationOption,
  NegotiationFlag,
  sseqNegotiationOption,
} from '../crypto/keying-component.js';
import type { DhKeyPair } from '../crypto/dh.js';
import type { RandomSource } from '../crypto/random.js';

/**
 * The signature of IIKeying and RIKeying. The Flash profile checks none (the Simple Password
 * scheme of RFC 7425 §4.3.5.1.1 is implemented by nobody); Flash Player and the servers send
 * this one byte, 'X'.
 */
export const FLASH_SIGNATURE: Buffer = Buffer.from('X', 'latin1');

/** The HMAC length Flash Player offers (`03 1a 02 0a`). */
const FLASH_HMAC_LENGTH = 10;

/**
 * The initiator's keying component in Flash Player's layout (RFC 7425 §4.6). With a static
 * key: `02 1d <group> | 41 0e <64 random> | 03 1a 02 0a | 02 1e 02`; with an ephemeral key
 * the group select gives way to `VLU 0d <group> <key>`. HMAC and sequence numbers are offered
 * "on request", as Flash does; a responder that does request them is refused when its SKRC
 * arrives, so the failure is explicit rather than a session that silently never works.
 */
export function initiatorComponent(group: number, ephemeral: DhKeyPair | undefined, random: RandomSource): Buffer {
  return Buffer.concat([
    ephemeral ? ephemeralKeyOption(group, ephemeral.publicKey) : groupSelectOption(group),
    extraRandomnessOption(random(64)),
    hmacNegotiationOption(NegotiationFlag.SendOnRequest, FLASH_HMAC_LENGTH),
    sseqNegotiationOption(NegotiationFlag.SendOnRequest),
  ]);
}

/**
 * The responder's keying component in the Cumulus / MonaServer layout that Flash Player knows:
 * HMAC and sequence numbers declined (`03 1a 00 00 | 02 1e 00`), then the ephemeral key
 * (`81 02 0d 02 <128>` in group 2), or 64 bytes of extra randomness when the responder's
 * certificate already holds a static key.
 */
export function responderComponent(group: number, ephemeral: DhKeyPair | undefined, random: RandomSource): Buffer {
  return Buffer.concat([
    hmacNegotiationOption(0, 0),
    sseqNegotiationOption(0),
    ephemeral ? ephemeralKeyOption(group, ephemeral.publicKey) : extraRandomnessOption(random(64)),
  ]);
}
