import { TruncatedInputError } from '../errors/index.js';

/**
 * A big-endian cursor over one buffer. Reads of byte runs return views (`subarray`), not copies.
 * Reading past the end throws `TruncatedInputError`, so decoders never see a RangeError.
 */
export class ByteReader {
  readonly buffer: Buffer;
  offset: number;
  readonly end: number;

  constructor(buffer: Uint8Array, offset = 0, end = buffer.length) {
    this.buffer = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `count` more bytes are available. */
  need(count: number): void {
    if (count > this.end - this.offset) {
      throw new TruncatedInputError(`needed ${count} bytes at offset ${this.offset}, only ${this.end - this.offset} left`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buffer[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const value = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  i16(): number {
    this.need(2);
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  u24(): number {
    this.need(3);
    const b = this.buffer;
    const o = this.offset;
    this.offset += 3;
    return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
  }

  i24(): number {
    const value = this.u24();
    return value & 0x800000 ? value - 0x1000000 : value;
  }

  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  i32(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  u32le(): number {
    this.need(4);
    const value = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.buffer.readDoubleBE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A view of the next `count` bytes (shares memory with the input). */
  bytes(count: number): Buffer {
    this.need(count);
    const view = this.buffer.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  utf8(byteLength: number): string {
    this.need(byteLength);
    const text = this.buffer.toString('utf8', this.offset, this.offset + byteLength);
    this.offset += byteLength;
    return text;
  }
}
