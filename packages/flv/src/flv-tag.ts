import {
  ByteWriter,
  FLV_BACK_POINTER_SIZE,
  FLV_TAG_HEADER_SIZE,
  LimitExceededError,
  RtmpProtocolError,
  writeFlvTagHeader,
  type FlvTagHeader,
  type RtmpMessage,
} from '@rtmpkit/core';
import { isFlvTagType } from './constants.js';

/**
 * One tag of an FLV file as an `RtmpMessage` (the tag type is the message type, the body is the
 * payload), plus where the tag starts in the file.
 */
export interface FlvTag extends RtmpMessage {
  /** Byte offset of the tag's 11-byte header in the file. */
  offset: number;
}

/**
 * Checks a tag header read at file offset `offset`: the filter bit (encrypted FLV) is refused
 * with `RtmpProtocolError`, as is a tag type other than 8, 9, 15 or 18; a body larger than
 * `maxTagSize` throws `LimitExceededError`.
 */
export function checkFlvTagHeader(header: FlvTagHeader, offset: number, maxTagSize: number): void {
  if (header.filter) {
    throw new RtmpProtocolError(
      `FLV tag at offset ${offset} has the filter bit set: encrypted FLV (FLV 10.1 "filter") is not supported`,
    );
  }
  if (!isFlvTagType(header.tagType)) {
    throw new RtmpProtocolError(`FLV tag at offset ${offset} has type ${header.tagType}; an FLV file holds types 8, 9, 15 and 18`);
  }
  if (header.dataSize > maxTagSize) {
    throw new LimitExceededError('maxTagSize', maxTagSize, `FLV tag at offset ${offset} has a ${header.dataSize}-byte body`);
  }
}

/**
 * Checks a PreviousTagSize back pointer found at file offset `offset`: it must equal `expected`
 * (11 + the previous body size, or 0 for PreviousTagSize0). A mismatch throws
 * `RtmpProtocolError` unless `tolerate` is set.
 */
export function checkBackPointer(value: number, expected: number, offset: number, tolerate: boolean): void {
  if (value !== expected && !tolerate) {
    throw new RtmpProtocolError(
      `FLV back pointer at offset ${offset} is ${value}, expected ${expected}` +
        ' (set tolerateBadBackPointers to read files from writers that get it wrong)',
    );
  }
}

/** Bytes a tag with a `payloadSize`-byte body takes in a file, back pointer included. */
export function flvTagSize(payloadSize: number): number {
  return FLV_TAG_HEADER_SIZE + payloadSize + FLV_BACK_POINTER_SIZE;
}

/**
 * Encodes one FLV tag: the 11-byte header (StreamID 0, the timestamp split into 24 low bits and
 * the extension byte), the body, and the back pointer (11 + body size). The type must be 8, 9,
 * 15 or 18 and the body at most 16 MiB − 1 bytes, else `RangeError`.
 */
export function encodeFlvTag(message: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>): Buffer {
  if (!isFlvTagType(message.type)) throw new RangeError(`an FLV tag has type 8, 9, 15 or 18, got ${message.type}`);
  const dataSize = message.payload.length;
  const writer = new ByteWriter(flvTagSize(dataSize));
  writeFlvTagHeader(writer, { tagType: message.type, filter: false, dataSize, timestamp: message.timestamp, streamId: 0 });
  writer.bytes(message.payload);
  writer.u32(FLV_TAG_HEADER_SIZE + dataSize);
  return writer.finish();
}
