/**
 * The first `count` hexadecimal digits of pi after the point, computed with Machin's formula
 * pi = 16 atan(1/5) - 4 atan(1/239) in BigInt fixed point (64 guard bits). An independent check
 * of the Blowfish tables, which are these digits.
 */
export function piHexDigits(count: number): string {
  const bits = BigInt(count * 4 + 64);
  const one = 1n << bits;
  const atanInverse = (x: bigint): bigint => {
    const x2 = x * x;
    let power = one / x;
    let sum = power;
    for (let k = 1n; power !== 0n; k++) {
      power /= x2;
      const term = power / (2n * k + 1n);
      sum = k % 2n === 1n ? sum - term : sum + term;
    }
    return sum;
  };
  const pi = 16n * atanInverse(5n) - 4n * atanInverse(239n);
  return ((pi - 3n * one) >> 64n).toString(16).padStart(count, '0');
}
