/**
 * `array` copied into a new one of exactly `length` slots: growing in place (push or a store past
 * the end) would add V8's usual slack of 16 or more slots to an array that stays this size.
 */
export function grownTo<T>(array: Array<T | undefined>, length: number): Array<T | undefined> {
  const grown = new Array<T | undefined>(length);
  for (let i = 0; i < array.length; i++) grown[i] = array[i];
  return grown;
}
