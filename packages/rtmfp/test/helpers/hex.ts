/**
 * Reads a commented hex fixture: `#` or `//` starts a comment to the end of the line,
 * whitespace is ignored, and what remains must be pairs of hex digits.
 *
 *   hex`
 *     30 0053   # chunk type IHello, length 83
 *   `
 */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Buffer {
  const text = typeof strings === 'string' ? strings : String.raw({ raw: strings }, ...values);
  const digits = text
    .split('\n')
    .map((line) => line.replace(/(#|\/\/).*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex fixture: ${digits.slice(0, 40)}...`);
  return Buffer.from(digits, 'hex');
}
