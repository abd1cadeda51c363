import { Blowfish } from '../crypto/blowfish.js';
import { xteaEncryptBlock } from '../crypto/xtea.js';
import { RTMPE_BLOWFISH_VERSION, RTMPE_XTEA_VERSION } from './constants.js';
import { RTMPE_BLOWFISH_KEYS, RTMPE_KEY_ROWS_USED, RTMPE_XTEA_KEYS } from './signature-keys.js';

/** Key schedules are costly (521 block encryptions each) and the same for everyone: made once per row. */
const blowfishRows = new Map<number, Blowfish>();
function blowfishRow(row: number): Blowfish {
  let cipher = blowfishRows.get(row);
  if (!cipher) {
    cipher = new Blowfish(RTMPE_BLOWFISH_KEYS[row]!);
    blowfishRows.set(row, cipher);
  }
  return cipher;
}

/**
 * The table row for the signature block at `offset` (0, 8, 16 or 24): `signatureKey[offset] % 15`,
 * where `signatureKey` is the 32-byte intermediate HMAC key of the C2/S2 signature.
 */
export function signatureKeyRow(signatureKey: Uint8Array, offset: number): number {
  return signatureKey[offset]! % RTMPE_KEY_ROWS_USED;
}

/**
 * Turns a plain 32-byte C2/S2 signature into the one RTMPE type `type` puts on the wire. Type 6
 * (and anything else) leaves it as it is. Type 8 XTEA-encrypts (32 rounds) and type 9
 * Blowfish-encrypts each 8-byte block `i` (0, 8, 16, 24) with table row `signatureKey[i] % 15`,
 * reading and writing the block's two halves little-endian. Returns a new buffer.
 */
export function rtmpeSignature(type: number, signature: Uint8Array, signatureKey: Uint8Array): Buffer {
  const out = Buffer.from(signature);
  if (type !== RTMPE_XTEA_VERSION && type !== RTMPE_BLOWFISH_VERSION) return out;
  if (signature.length !== 32 || signatureKey.length !== 32) {
    throw new RangeError(`an RTMPE signature and its key have 32 bytes, got ${signature.length} and ${signatureKey.length}`);
  }
  for (let offset = 0; offset < 32; offset += 8) {
    const row = signatureKeyRow(signatureKey, offset);
    const block =
      type === RTMPE_XTEA_VERSION
        ? xteaEncryptBlock(signature, RTMPE_XTEA_KEYS[row]!, 'little', offset)
        : blowfishRow(row).encryptBlock(signature, 'little', offset);
    out.set(block, offset);
  }
  return out;
}
