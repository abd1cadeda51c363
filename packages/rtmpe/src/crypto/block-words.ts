/**
 * How the 8 bytes of a 64-bit block map to its two 32-bit halves. `'big'` is the usual reading
 * of XTEA and Blowfish test vectors; RTMPE's types 8 and 9 read each half `'little'`-endian.
 */
export type ByteOrder = 'big' | 'little';

/** Reads the two 32-bit halves of the 8-byte block at `block[offset..]`. */
export function readHalves(block: Uint8Array, offset: number, order: ByteOrder): [number, number] {
  if (offset < 0 || offset + 8 > block.length) {
    throw new RangeError(`a 64-bit block needs 8 bytes at offset ${offset}, the buffer has ${block.length}`);
  }
  const view = new DataView(block.buffer, block.byteOffset + offset, 8);
  const little = order === 'little';
  return [view.getUint32(0, little), view.getUint32(4, little)];
}

/** Writes two 32-bit halves as 8 bytes at `out[offset..]`. */
export function writeHalves(out: Uint8Array, offset: number, left: number, right: number, order: ByteOrder): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, 8);
  const little = order === 'little';
  view.setUint32(0, left >>> 0, little);
  view.setUint32(4, right >>> 0, little);
}
