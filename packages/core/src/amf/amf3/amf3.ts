import { AmfDecodeError } from '../../errors/index.js';
import { ByteReader, ByteWriter } from '../../bytes/index.js';
import type { AmfValue } from '../amf-value.js';
import { Amf3Decoder } from './amf3-decoder.js';
import { Amf3Encoder } from './amf3-encoder.js';
import { resolveAmf3Options, type Amf3DecodeOptions, type Amf3EncodeOptions } from './amf3-options.js';
import { stackOverflowAsLimit } from './stack-overflow.js';

/**
 * Reads one AMF3 value at the reader's position, with fresh string, object and traits tables
 * (inside RTMP the tables reset for each 0x11-switched value), and leaves the reader just past
 * it. Throws `TruncatedInputError` when the bytes end too soon, `AmfDecodeError` for bytes
 * that break the format (unknown marker, reference out of range, unknown externalizable
 * class), and `LimitExceededError` past `maxDepth`.
 */
export function readAmf3(reader: ByteReader, options?: Amf3DecodeOptions): AmfValue {
  const resolved = resolveAmf3Options(options);
  try {
    return new Amf3Decoder(reader, resolved).readValue();
  } catch (error) {
    throw stackOverflowAsLimit(error, resolved.maxDepth);
  }
}

/**
 * Writes one AMF3 value with fresh tables. Throws `AmfEncodeError` for what AMF3 cannot say
 * (functions, symbols, bigints, a non-dynamic object with members outside its sealed list,
 * lengths of 2^28 or more) and `LimitExceededError` past `maxDepth`.
 */
export function writeAmf3(writer: ByteWriter, value: AmfValue, options?: Amf3EncodeOptions): void {
  const resolved = resolveAmf3Options(options);
  try {
    new Amf3Encoder(writer, resolved).writeValue(value);
  } catch (error) {
    throw stackOverflowAsLimit(error, resolved.maxDepth);
  }
}

/**
 * Decodes exactly one AMF3 value from `bytes`. Bytes left over after the value are an
 * `AmfDecodeError` (use `readAmf3` with a `ByteReader` to read a value out of a longer
 * buffer). A decoded ByteArray is a view of `bytes`, not a copy.
 */
export function decodeAmf3(bytes: Uint8Array, options?: Amf3DecodeOptions): AmfValue {
  const reader = new ByteReader(bytes);
  const value = readAmf3(reader, options);
  if (reader.remaining > 0) {
    throw new AmfDecodeError(`${reader.remaining} trailing bytes after the AMF3 value (it ended at offset ${reader.offset})`);
  }
  return value;
}

/** Encodes one AMF3 value (fresh tables) into a new Buffer. */
export function encodeAmf3(value: AmfValue, options?: Amf3EncodeOptions): Buffer {
  const writer = new ByteWriter();
  writeAmf3(writer, value, options);
  return writer.finish();
}

