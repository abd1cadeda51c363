import type { AmfValue } from '../amf-value.js';
import { ByteWriter } from '../../bytes/index.js';
import { createAmf0EncodeContext, type Amf0EncodeOptions } from './encode-context.js';
import { writeAmf0 } from './write-amf0.js';

/**
 * Encodes the values of one message body one after another, with one reference table for
 * the body (an object repeated across values is written once, then referenced).
 */
export function encodeAmf0Values(values: readonly AmfValue[], options?: Amf0EncodeOptions): Buffer {
  const writer = new ByteWriter();
  const context = createAmf0EncodeContext(options);
  for (const value of values) writeAmf0(writer, value, context);
  return writer.finish();
}

/** Encodes one AMF0 value. */
export function encodeAmf0(value: AmfValue, options?: Amf0EncodeOptions): Buffer {
  const writer = new ByteWriter();
  writeAmf0(writer, value, createAmf0EncodeContext(options));
  return writer.finish();
}
