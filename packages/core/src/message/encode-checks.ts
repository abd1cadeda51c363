/**
 * Argument checks for encoders. Passing a value that cannot be put on the wire is a programming
 * error, so these throw RangeError rather than an RtmpError.
 */

/** Throws unless `value` is an integer in `min..max`. */
export function assertIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
}

/** Throws unless `value` fits an unsigned 32-bit field. */
export function assertUint32(name: string, value: number): void {
  assertIntegerInRange(name, value, 0, 0xffffffff);
}
