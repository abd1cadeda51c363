import type { AmfValue } from '../../amf/amf-value.js';
import { createAmf0DecodeContext, createAmf0EncodeContext, readAmf0, writeAmf0, type Amf0DecodeOptions, type Amf0EncodeOptions } from '../../amf/amf0/index.js';
import { ByteReader, ByteWriter } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { assertUint32 } from '../encode-checks.js';
import { checkLimit, DEFAULT_MAX_AMF_VALUES, resolveLimit } from '../limits.js';
import { decodeOrThrowProtocolError } from '../message-errors.js';
import type { RtmpMessage } from '../rtmp-message.js';

/** Options for decoding the AMF values of a command, data or shared-object message. */
export interface AmfMessageDecodeOptions extends Amf0DecodeOptions {
  /** Most AMF values one message may hold. Default `DEFAULT_MAX_AMF_VALUES` (256). */
  maxValues?: number;
}

/** Where and how to encode a command or data message. */
export interface AmfMessageEncodeOptions {
  /** Message stream id: 0 for the NetConnection, the created stream for NetStream calls. */
  streamId: number;
  /** Default 0. */
  timestamp?: number;
  /**
   * Send as the AMF3 message type (17 for commands, 15 for data) with its 0x00 format byte,
   * objects and arrays behind the 0x11 AVM+ switch. Only for peers that agreed on
   * `objectEncoding: 3`. Default false.
   */
  amf3?: boolean;
  /** Passed to the AMF0 encoder (`maxDepth`, AMF3 options). `avmplus` follows `amf3`. */
  amfOptions?: Omit<Amf0EncodeOptions, 'avmplus'>;
}

/**
 * Reads AMF0 values until `reader` is used up, with one AMF0 reference table for them all;
 * a value behind 0x11 is one AMF3 value with fresh tables. More than `maxValues` throws
 * `LimitExceededError`; a value cut short throws `RtmpProtocolError`.
 */
export function readAmfMessageValues(reader: ByteReader, options: AmfMessageDecodeOptions = {}, what = 'AMF message'): AmfValue[] {
  const maxValues = resolveLimit('maxValues', options.maxValues, DEFAULT_MAX_AMF_VALUES);
  const context = createAmf0DecodeContext(options);
  return decodeOrThrowProtocolError(what, () => {
    const values: AmfValue[] = [];
    while (reader.remaining > 0) {
      checkLimit('maxValues', maxValues, values.length + 1, `AMF values in one ${what}`);
      values.push(readAmf0(reader, context));
    }
    return values;
  });
}

/**
 * The AMF values of a whole message payload. For the AMF3 types (15, 16, 17) the first byte is
 * the format byte; it is skipped whatever its value (it has always been 0x00 in practice).
 */
export function decodeAmfMessagePayload(payload: Buffer, hasFormatByte: boolean, options: AmfMessageDecodeOptions | undefined, what: string): AmfValue[] {
  if (hasFormatByte && payload.length === 0) {
    throw new RtmpProtocolError(`${what} of an AMF3 message type is empty; it must start with a format byte`);
  }
  return readAmfMessageValues(new ByteReader(payload, hasFormatByte ? 1 : 0), options, what);
}

/** Builds a message whose payload is `values` (with the format byte first when `options.amf3`). */
export function encodeAmfMessage(values: readonly AmfValue[], amf0Type: number, amf3Type: number, options: AmfMessageEncodeOptions): RtmpMessage {
  const timestamp = options.timestamp ?? 0;
  assertUint32('streamId', options.streamId);
  assertUint32('timestamp', timestamp);
  const amf3 = options.amf3 === true;
  const writer = new ByteWriter();
  if (amf3) writer.u8(0x00);
  const context = createAmf0EncodeContext({ ...options.amfOptions, avmplus: amf3 });
  for (const value of values) writeAmf0(writer, value, context);
  return { type: amf3 ? amf3Type : amf0Type, streamId: options.streamId, timestamp, payload: writer.finish() };
}
