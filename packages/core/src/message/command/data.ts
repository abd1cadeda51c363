import type { AmfValue } from '../../amf/amf-value.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import type { RtmpMessage } from '../rtmp-message.js';
import { decodeAmfMessagePayload, encodeAmfMessage, type AmfMessageDecodeOptions, type AmfMessageEncodeOptions } from './amf-payload.js';

/** The publisher's wrapper around stream metadata: `"@setDataFrame", "onMetaData", <ECMA array>`. */
export const SET_DATA_FRAME = '@setDataFrame';
/** Sent by some encoders to drop the stored metadata. */
export const CLEAR_DATA_FRAME = '@clearDataFrame';
/** The usual metadata handler name. */
export const ON_META_DATA = 'onMetaData';

/**
 * A data message (type 18, or 15 for AMF3): a handler name and its values, such as
 * `onMetaData` + ECMA array, `|RtmpSampleAccess` + booleans, or `@setDataFrame` + `onMetaData` + array.
 */
export interface RtmpData {
  /** The first value when it is a string (the handler), else undefined. */
  name?: string;
  /** The values after the name (all of them when there is no name). */
  values: AmfValue[];
}

/** Options for `encodeData`; see `AmfMessageEncodeOptions`. */
export type EncodeDataOptions = AmfMessageEncodeOptions;

/** Options for `decodeData`; see `AmfMessageDecodeOptions`. */
export type DecodeDataOptions = AmfMessageDecodeOptions;

/** True for message types 18 and 15. */
export function isDataMessage(message: RtmpMessage): boolean {
  return message.type === MessageType.DataAmf0 || message.type === MessageType.DataAmf3;
}

/** Reads a data message (type 18, or 15 with its leading format byte). */
export function decodeData(message: RtmpMessage, options?: DecodeDataOptions): RtmpData {
  expectMessageType('a data message', message.type, MessageType.DataAmf0, MessageType.DataAmf3);
  const values = decodeAmfMessagePayload(message.payload, message.type === MessageType.DataAmf3, options, 'data message');
  return typeof values[0] === 'string' ? { name: values[0], values: values.slice(1) } : { values };
}

/** Builds a data message: type 18, or 15 with `amf3: true`. */
export function encodeData(data: RtmpData, options: EncodeDataOptions): RtmpMessage {
  const values = data.name === undefined ? data.values : [data.name, ...data.values];
  return encodeAmfMessage(values, MessageType.DataAmf0, MessageType.DataAmf3, options);
}

/** True when the data message is wrapped in `@setDataFrame`. */
export function isSetDataFrame(data: RtmpData): boolean {
  return data.name === SET_DATA_FRAME;
}

/**
 * Unwraps `@setDataFrame, name, …values` into `name, …values`, as a server does before storing
 * metadata and passing it to players. Data without the wrapper comes back unchanged. A wrapper
 * not followed by a string handler name throws `RtmpProtocolError`.
 */
export function stripSetDataFrame(data: RtmpData): RtmpData {
  if (!isSetDataFrame(data)) return data;
  const [name, ...values] = data.values;
  if (typeof name !== 'string') throw new RtmpProtocolError('@setDataFrame must be followed by a handler name such as onMetaData');
  return { name, values };
}

/** Wraps `name, …values` as `@setDataFrame, name, …values` (what a publisher sends). Already wrapped data comes back unchanged. */
export function addSetDataFrame(data: RtmpData): RtmpData {
  if (isSetDataFrame(data)) return data;
  if (data.name === undefined) throw new RangeError('@setDataFrame needs a handler name (such as onMetaData) to wrap');
  return { name: SET_DATA_FRAME, values: [data.name, ...data.values] };
}
