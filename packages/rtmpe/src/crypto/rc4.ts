/** Any key: `clone()` overwrites the state it schedules. */
const PLACEHOLDER_KEY = new Uint8Array(1);

/**
 * RC4 (the alleged RC4 of the 1994 cypherpunks posting; RFC 6229 has its test vectors). A keyed
 * keystream whose state is kept between calls, so one instance ciphers a whole byte stream
 * however it is cut into pieces. Encryption and decryption are the same operation.
 *
 * OpenSSL 3 only offers RC4 through its legacy provider, which rtmpkit does not load: this is
 * plain TypeScript over a 256-byte state.
 */
export class Rc4 {
  private readonly state = new Uint8Array(256);
  private i = 0;
  private j = 0;

  /** Runs the key schedule. `key` has 1..256 bytes (RTMPE uses 16). */
  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) {
      throw new RangeError(`an RC4 key has 1..256 bytes, got ${key.length}`);
    }
    const s = this.state;
    for (let n = 0; n < 256; n++) s[n] = n;
    let j = 0;
    for (let n = 0; n < 256; n++) {
      const value = s[n]!;
      j = (j + value + key[n % key.length]!) & 0xff;
      s[n] = s[j]!;
      s[j] = value;
    }
  }

  /**
   * XORs the next `input.length` keystream bytes with `input` into `output` (by default `input`
   * itself, in place) and returns `output`. `output` may be `input`; it must be at least as long.
   */
  process(input: Uint8Array, output: Uint8Array = input): Uint8Array {
    if (output.length < input.length) {
      throw new RangeError(`RC4 output has ${output.length} bytes, the input ${input.length}`);
    }
    const s = this.state;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < input.length; n++) {
      i = (i + 1) & 0xff;
      const a = s[i]!;
      j = (j + a) & 0xff;
      const b = s[j]!;
      s[i] = b;
      s[j] = a;
      output[n] = input[n]! ^ s[(a + b) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return output;
  }

  /** Advances the keystream by `count` bytes and throws them away (RTMPE discards 1536). */
  discard(count: number): void {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`cannot discard ${count} keystream bytes`);
    const scratch = new Uint8Array(Math.min(count, 4096));
    for (let left = count; left > 0; left -= scratch.length) {
      this.process(left >= scratch.length ? scratch : scratch.subarray(0, left));
    }
  }

  /** An independent copy at the same keystream position (to try a key without using it up). */
  clone(): Rc4 {
    const copy = new Rc4(PLACEHOLDER_KEY);
    copy.state.set(this.state);
    copy.i = this.i;
    copy.j = this.j;
    return copy;
  }
}
