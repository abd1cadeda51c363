/** Message types a peer may open the chunk stream with (protocol control, user control, commands, data, media). */
const OPENING_TYPES = new Set([1, 2, 3, 4, 5, 6, 8, 9, 15, 16, 17, 18, 19, 20, 22]);

/** What a look at the first bytes after the handshake says. */
export type FirstChunkVerdict = 'yes' | 'no' | 'more';

/**
 * Whether `bytes` can start the chunk stream a peer sends after the handshake: a type-0 chunk
 * header (the first chunk of any chunk stream must be one) with a known message type and a small
 * little-endian message stream id (its top two bytes zero). `'more'` when there are too few bytes
 * to tell. Random bytes pass with a probability of about 2^-22, so this tells the right RC4 key
 * from a wrong one when the shared secret is ambiguous (see `SecretPadding`).
 */
export function looksLikeFirstChunk(bytes: Uint8Array): FirstChunkVerdict {
  if (bytes.length === 0) return 'more';
  const first = bytes[0]!;
  if (first >> 6 !== 0) return 'no';
  const idField = first & 0x3f;
  const header = idField === 0 ? 2 : idField === 1 ? 3 : 1;
  if (bytes.length < header + 11) return 'more';
  const type = bytes[header + 6]!;
  if (!OPENING_TYPES.has(type)) return 'no';
  if (bytes[header + 9] !== 0 || bytes[header + 10] !== 0) return 'no';
  return 'yes';
}
