/**
 * The 16-bit Internet checksum (RFC 1071) that the Flash crypto profile puts in front of every
 * plaintext packet (RFC 7425 §4.2): the one's-complement sum of big-endian 16-bit words, an odd
 * last byte counting as a word's high byte, then inverted.
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
