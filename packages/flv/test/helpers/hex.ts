/**
 * Bytes from commented hex, for readable test vectors:
 *
 *   hex`
 *     46 4c 56   # "FLV"
 *     01         # version
 *   `
 *
 * `#` starts a comment that runs to the end of the line; spaces and newlines are ignored; what
 * is left must be whole bytes of hex digits (anything else throws, so a typo cannot pass silently).
 */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Buffer {
  const source = typeof strings === 'string' ? strings : String.raw({ raw: strings }, ...values);
  const digits = source
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(digits)) throw new Error(`not whole hex bytes: ${JSON.stringify(digits.slice(0, 60))}`);
  return Buffer.from(digits, 'hex');
}

/** The ASCII bytes of `text` as hex pairs, for building vectors that spell names. */
export function ascii(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex').replace(/(..)/g, '$1 ');
}
