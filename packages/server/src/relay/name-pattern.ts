/**
 * Which applications or stream names a relay rule covers: a string (exact, where `*` matches any
 * run of characters: `cam*`, `*`), a RegExp, or a predicate. Undefined covers every name.
 */
export type NamePattern = string | RegExp | ((value: string) => boolean);

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** True when `value` is covered by `pattern`. */
export function matchesPattern(pattern: NamePattern | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'function') return pattern(value);
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0; // a global or sticky RegExp keeps state between calls
    return pattern.test(value);
  }
  return pattern.includes('*') ? globToRegExp(pattern).test(value) : pattern === value;
}
