/**
 * Reads a commented hex fixture: every `#` or `//` starts a comment to the end of the line,
 * whitespace is ignored, and what remains must be pairs of hex digits.
 *
 *   hex`
 *     03            # C0: version 3
 *     00 00 00 00   # C1 time
 *   `
 */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Buffer {
  const text = typeof strings === 'string' ? strings : String.raw({ raw: strings }, ...values);
  const digits = text
    .split('\n')
    .map((line) => line.replace(/(#|\/\/).*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) {
    throw new Error(`bad hex fixture: ${digits.slice(0, 40)}...`);
  }
  return Buffer.from(digits, 'hex');
}

/** Splits `bytes` into two parts at every offset, and into single bytes: the ways a socket may deliver them. */
export function* splits(bytes: Uint8Array): Generator<Buffer[]> {
  const buffer = Buffer.from(bytes);
  for (let at = 0; at <= buffer.length; at++) {
    yield [buffer.subarray(0, at), buffer.subarray(at)];
  }
  yield Array.from(buffer, (_, i) => buffer.subarray(i, i + 1));
}
