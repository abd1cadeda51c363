/**
 * A growable big-endian writer. `finish()` returns a view of what was written; the writer
 * must not be used after that.
 */
export class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialSize));
  }

  get size(): number {
    return this.length;
  }

  private reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  u16(value: number): this {
    this.reserve(2);
    this.buffer.writeUInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  i16(value: number): this {
    this.reserve(2);
    this.buffer.writeInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  u24(value: number): this {
    this.reserve(3);
    this.buffer.writeUIntBE(value & 0xffffff, this.length, 3);
    this.length += 3;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.buffer.writeUInt32BE(value >>> 0, this.length);
    this.length += 4;
    return this;
  }

  i32(value: number): this {
    this.reserve(4);
    this.buffer.writeInt32BE(value | 0, this.length);
    this.length += 4;
    return this;
  }

  u32le(value: number): this {
    this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
    return this;
  }

  f64(value: number): this {
    this.reserve(8);
    this.buffer.writeDoubleBE(value, this.length);
    this.length += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Writes UTF-8 text with no length prefix; returns the byte length written. */
  utf8(text: string): number {
    const byteLength = Buffer.byteLength(text, 'utf8');
    this.reserve(byteLength);
    this.buffer.write(text, this.length, byteLength, 'utf8');
    this.length += byteLength;
    return byteLength;
  }

  /** Overwrites a big-endian u32 at an earlier position (for length fields written last). */
  patchU32(position: number, value: number): void {
    this.buffer.writeUInt32BE(value >>> 0, position);
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
