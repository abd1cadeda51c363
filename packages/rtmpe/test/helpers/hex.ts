/** Bytes from hex text; spaces, newlines and `#` comments are ignored. */
export function hex(text: string | TemplateStringsArray): Buffer {
  const source = typeof text === 'string' ? text : text.join('');
  const digits = source.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${digits.slice(0, 40)}`);
  return Buffer.from(digits, 'hex');
}
