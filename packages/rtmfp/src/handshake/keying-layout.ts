import { ephemeralKeyOption, extraRandomnessOption, groupSelectOption } from '../crypto/keying-component.js';
import {
  NO_PACKET_PROTECTION,
  initiatorNegotiationOptions,
  responderNegotiationOptions,
  type PacketProtection,
  type ProtectionPolicy,
} from '../crypto/negotiation.js';
import type { DhKeyPair } from '../crypto/dh.js';
import type { RandomSource } from '../crypto/random.js';

/**
 * The signature of IIKeying and RIKeying. The Flash profile checks none (the Simple Password
 * scheme of RFC 7425 §4.3.5.1.1 is implemented by nobody); Flash Player and the servers send
 * this one byte, 'X'.
 */
export const FLASH_SIGNATURE: Buffer = Buffer.from('X', 'latin1');

/**
 * The initiator's keying component in Flash Player's layout (RFC 7425 §4.6). With a static
 * key: `02 1d <group> | 41 0e <64 random> | 03 1a 02 0a | 02 1e 02`; with an ephemeral key
 * the group select gives way to `VLU 0d <group> <key>`. HMAC and sequence numbers are offered
 * "on request", as Flash does (the `required` policy: `03 1a 07 10 | 02 1e 07`).
 */
export function initiatorComponent(group: number, ephemeral: DhKeyPair | undefined, random: RandomSource, policy: ProtectionPolicy = 'on-request'): Buffer {
  return Buffer.concat([
    ephemeral ? ephemeralKeyOption(group, ephemeral.publicKey) : groupSelectOption(group),
    extraRandomnessOption(random(64)),
    initiatorNegotiationOptions(policy),
  ]);
}

/**
 * The responder's keying component in the Cumulus / MonaServer layout that Flash Player knows:
 * HMAC and sequence numbers declined (`03 1a 00 00 | 02 1e 00`) unless `protection` uses them,
 * then the ephemeral key (`81 02 0d 02 <128>` in group 2), or 64 bytes of extra randomness
 * when the responder's certificate already holds a static key.
 */
export function responderComponent(group: number, ephemeral: DhKeyPair | undefined, random: RandomSource, protection: PacketProtection = NO_PACKET_PROTECTION): Buffer {
  return Buffer.concat([
    responderNegotiationOptions(protection),
    ephemeral ? ephemeralKeyOption(group, ephemeral.publicKey) : extraRandomnessOption(random(64)),
  ]);
}
