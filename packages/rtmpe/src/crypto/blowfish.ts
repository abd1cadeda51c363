import { type ByteOrder, readHalves, writeHalves } from './block-words.js';
import { BLOWFISH_P_INIT, BLOWFISH_S_INIT } from './blowfish-tables.js';

const ROUNDS = 16;

/**
 * Blowfish (Schneier, 1993): 16 rounds, the pi-derived initial P-array and S-boxes, the standard
 * key schedule. Only encryption is needed by RTMPE (type 9 encrypts the C2/S2 signature), so only
 * encryption is here. OpenSSL 3 has Blowfish only in its legacy provider, hence TypeScript.
 */
export class Blowfish {
  private readonly p = Uint32Array.from(BLOWFISH_P_INIT);
  private readonly s = Uint32Array.from(BLOWFISH_S_INIT);

  /** Runs the key schedule for a key of 1..56 bytes (RTMPE's are 24). */
  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 56) throw new RangeError(`a Blowfish key has 1..56 bytes, got ${key.length}`);
    let at = 0;
    for (let i = 0; i < ROUNDS + 2; i++) {
      let word = 0;
      for (let k = 0; k < 4; k++) {
        word = ((word << 8) | key[at]!) >>> 0;
        at = (at + 1) % key.length;
      }
      this.p[i] = (this.p[i]! ^ word) >>> 0;
    }
    let left = 0;
    let right = 0;
    const refill = (table: Uint32Array) => {
      for (let i = 0; i < table.length; i += 2) {
        [left, right] = this.encryptWords(left, right);
        table[i] = left;
        table[i + 1] = right;
      }
    };
    refill(this.p);
    refill(this.s);
  }

  /** Encrypts one block given as its left and right uint32 halves; returns the encrypted halves. */
  encryptWords(left: number, right: number): [number, number] {
    const p = this.p;
    const s = this.s;
    let l = left >>> 0;
    let r = right >>> 0;
    for (let i = 0; i < ROUNDS; i++) {
      l = (l ^ p[i]!) >>> 0;
      const f = (((s[l >>> 24]! + s[256 + ((l >>> 16) & 0xff)]!) ^ s[512 + ((l >>> 8) & 0xff)]!) + s[768 + (l & 0xff)]!) >>> 0;
      const swapped = (r ^ f) >>> 0;
      r = l;
      l = swapped;
    }
    // Undo the last swap, then whiten with the last two P entries.
    return [(r ^ p[ROUNDS + 1]!) >>> 0, (l ^ p[ROUNDS]!) >>> 0];
  }

  /**
   * ECB-encrypts the 8-byte block at `block[offset..]` into a new 8-byte array. `order` says how the
   * bytes map to the halves: `'big'` for the published vectors, `'little'` for RTMPE type 9.
   */
  encryptBlock(block: Uint8Array, order: ByteOrder, offset = 0): Uint8Array {
    const [left, right] = readHalves(block, offset, order);
    const [l, r] = this.encryptWords(left, right);
    const out = new Uint8Array(8);
    writeHalves(out, 0, l, r, order);
    return out;
  }
}
