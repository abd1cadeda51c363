import { ByteReader, ByteWriter } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { assertUint32 } from '../encode-checks.js';
import { checkLimit, DEFAULT_MAX_AGGREGATE_MESSAGES, resolveLimit } from '../limits.js';
import { decodeOrThrowProtocolError, expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import { FLV_BACK_POINTER_SIZE, FLV_TAG_HEADER_SIZE, readFlvTagHeader, writeFlvTagHeader } from '../media/flv-tag-header.js';
import type { RtmpMessage } from '../rtmp-message.js';

/** Limits for `splitAggregate`. */
export interface AggregateOptions {
  /** Most inner messages one aggregate may hold. Default `DEFAULT_MAX_AGGREGATE_MESSAGES` (4096). */
  maxMessages?: number;
}

/**
 * Splits an Aggregate message (type 22) into its inner messages. The payload is a run of FLV tags,
 * each `11-byte tag header · body · UI32 back pointer (= 11 + body size)`. The outer stream id
 * replaces the inner ones, and every inner timestamp is moved by (outer ts − first inner ts),
 * 32-bit wrapping. Payloads are views of the aggregate's payload.
 *
 * A back pointer that is not 11 + size, a size past the end, leftover bytes or a nested aggregate
 * throw `RtmpProtocolError`; more than `maxMessages` throws `LimitExceededError`.
 */
export function splitAggregate(message: RtmpMessage, options: AggregateOptions = {}): RtmpMessage[] {
  expectMessageType('an aggregate message', message.type, MessageType.Aggregate);
  const maxMessages = resolveLimit('maxMessages', options.maxMessages, DEFAULT_MAX_AGGREGATE_MESSAGES);
  return decodeOrThrowProtocolError('aggregate message', () => {
    const reader = new ByteReader(message.payload);
    const messages: RtmpMessage[] = [];
    let offset = 0;
    while (reader.remaining > 0) {
      checkLimit('maxMessages', maxMessages, messages.length + 1, 'inner messages in one aggregate');
      const header = readFlvTagHeader(reader);
      if (header.tagType === MessageType.Aggregate) throw new RtmpProtocolError('an aggregate message must not contain another aggregate');
      if (header.dataSize + FLV_BACK_POINTER_SIZE > reader.remaining) {
        throw new RtmpProtocolError(`inner message ${messages.length} says ${header.dataSize} bytes but only ${reader.remaining} are left (with its back pointer)`);
      }
      const payload = reader.bytes(header.dataSize);
      const backPointer = reader.u32();
      if (backPointer !== FLV_TAG_HEADER_SIZE + header.dataSize) {
        throw new RtmpProtocolError(`inner message ${messages.length} back pointer is ${backPointer}, expected ${FLV_TAG_HEADER_SIZE + header.dataSize}`);
      }
      if (messages.length === 0) offset = message.timestamp - header.timestamp;
      messages.push({ type: header.tagType, streamId: message.streamId, timestamp: (header.timestamp + offset) >>> 0, payload });
    }
    return messages;
  });
}

/** Where `buildAggregate` should put the aggregate; each defaults to the first inner message's value. */
export interface BuildAggregateOptions {
  streamId?: number;
  timestamp?: number;
}

/**
 * Packs messages into one Aggregate message (type 22), the inverse of `splitAggregate`: inner
 * headers carry each message's own timestamp and stream id 0 (the outer one wins), and the outer
 * timestamp defaults to the first message's so the offset is 0.
 */
export function buildAggregate(messages: RtmpMessage[], options: BuildAggregateOptions = {}): RtmpMessage {
  if (messages.length === 0) throw new RangeError('an aggregate needs at least one message');
  const streamId = options.streamId ?? messages[0]!.streamId;
  const timestamp = options.timestamp ?? messages[0]!.timestamp;
  assertUint32('streamId', streamId);
  assertUint32('timestamp', timestamp);
  const size = messages.reduce((sum, inner) => sum + FLV_TAG_HEADER_SIZE + inner.payload.length + FLV_BACK_POINTER_SIZE, 0);
  const writer = new ByteWriter(size);
  for (const inner of messages) {
    if (inner.type === MessageType.Aggregate) throw new RangeError('an aggregate must not contain another aggregate');
    writeFlvTagHeader(writer, { tagType: inner.type, filter: false, dataSize: inner.payload.length, timestamp: inner.timestamp, streamId: 0 });
    writer.bytes(inner.payload);
    writer.u32(FLV_TAG_HEADER_SIZE + inner.payload.length);
  }
  return { type: MessageType.Aggregate, streamId, timestamp, payload: writer.finish() };
}
