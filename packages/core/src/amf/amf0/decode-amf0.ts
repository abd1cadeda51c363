import type { AmfValue } from '../amf-value.js';
import { ByteReader } from '../../bytes/index.js';
import { AmfDecodeError } from '../../errors/index.js';
import { createAmf0DecodeContext, type Amf0DecodeOptions } from './decode-context.js';
import { readAmf0 } from './read-amf0.js';

/**
 * Decodes every AMF0 value of one message body (a command or data message), with one
 * reference table for the whole body. An empty body gives `[]`. Strings and XML are decoded
 * to JavaScript strings; nothing returned shares memory with `bytes`, except what the AMF3
 * decoder returns for a ByteArray behind an AVM+ switch.
 */
export function decodeAmf0Values(bytes: Uint8Array, options?: Amf0DecodeOptions): AmfValue[] {
  const reader = new ByteReader(bytes);
  const context = createAmf0DecodeContext(options);
  const values: AmfValue[] = [];
  while (reader.remaining > 0) values.push(readAmf0(reader, context));
  return values;
}

/**
 * Decodes exactly one AMF0 value that fills `bytes`. Bytes left over after it throw
 * `AmfDecodeError`; use `decodeAmf0Values` or `readAmf0` for a sequence.
 */
export function decodeAmf0(bytes: Uint8Array, options?: Amf0DecodeOptions): AmfValue {
  const reader = new ByteReader(bytes);
  const value = readAmf0(reader, createAmf0DecodeContext(options));
  if (reader.remaining > 0) {
    throw new AmfDecodeError(`${reader.remaining} bytes left over after one AMF0 value at offset ${reader.offset}`);
  }
  return value;
}
