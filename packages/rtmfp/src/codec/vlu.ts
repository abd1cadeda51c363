import { ByteReader, ByteWriter, RtmpProtocolError } from '@rtmpkit/core';

/**
 * The longest VLU we read: 8 bytes carry 56 bits, enough for every safe JavaScript integer.
 * RFC 7016 §2.1.2 sets no bound; a longer one only ever comes from garbage.
 */
export const MAX_VLU_BYTES = 8;

const SHIFT_LIMIT = Math.floor(Number.MAX_SAFE_INTEGER / 128);

function checkValue(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`a VLU holds a non-negative safe integer, not ${value}`);
  }
}

/** How many bytes `value` takes as a VLU (7 value bits per byte). */
export function vluLength(value: number): number {
  checkValue(value);
  let length = 1;
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) length++;
  return length;
}

/**
 * Writes `value` as a VLU (RFC 7016 §2.1.2): 7-bit groups, most significant first, the high bit
 * set on every byte but the last. 0 → `00`, 128 → `81 00`, 16383 → `ff 7f`.
 */
export function writeVlu(writer: ByteWriter, value: number): void {
  const length = vluLength(value);
  for (let i = length - 1; i >= 0; i--) {
    const group = Math.floor(value / 2 ** (7 * i)) % 128;
    writer.u8(i > 0 ? group | 0x80 : group);
  }
}

/** `value` as VLU bytes. */
export function encodeVlu(value: number): Buffer {
  const writer = new ByteWriter(MAX_VLU_BYTES);
  writeVlu(writer, value);
  return writer.finish();
}

/**
 * Reads one VLU. Throws `TruncatedInputError` when the bytes end inside it and
 * `RtmpProtocolError` when it is longer than `MAX_VLU_BYTES` or above `Number.MAX_SAFE_INTEGER`.
 * Non-minimal forms (leading `80` bytes) are accepted, as the RFC does not forbid them.
 */
export function readVlu(reader: ByteReader): number {
  let value = 0;
  for (let count = 1; ; count++) {
    const byte = reader.u8();
    if (value > SHIFT_LIMIT) throw new RtmpProtocolError('VLU above the largest safe integer');
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
    if (count === MAX_VLU_BYTES) throw new RtmpProtocolError(`VLU longer than ${MAX_VLU_BYTES} bytes`);
  }
}

/** Reads a VLU-prefixed byte field and returns a view of its bytes (no copy). */
export function readVluField(reader: ByteReader): Buffer {
  return reader.bytes(readVlu(reader));
}

/** Writes `bytes` prefixed by their length as a VLU. */
export function writeVluField(writer: ByteWriter, bytes: Uint8Array): void {
  writeVlu(writer, bytes.length);
  writer.bytes(bytes);
}
