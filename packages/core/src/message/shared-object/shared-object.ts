import type { AmfValue } from '../../amf/amf-value.js';
import { createAmf0DecodeContext, createAmf0EncodeContext, readAmf0, writeAmf0, type Amf0DecodeContext, type Amf0EncodeContext } from '../../amf/amf0/index.js';
import { ByteReader, ByteWriter } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import type { AmfMessageDecodeOptions } from '../command/amf-payload.js';
import { assertIntegerInRange, assertUint32 } from '../encode-checks.js';
import { checkLimit, DEFAULT_MAX_AMF_VALUES, DEFAULT_MAX_SHARED_OBJECT_EVENTS, resolveLimit } from '../limits.js';
import { decodeOrThrowProtocolError, expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import type { RtmpMessage } from '../rtmp-message.js';
import { SharedObjectEventType, type SharedObjectEvent, type SharedObjectMessage, type SharedObjectProperty } from './shared-object-types.js';

/** Bytes of the flags field. */
export const SHARED_OBJECT_FLAGS_SIZE = 8;
/** Red5's first flag word for a persistent shared object. */
const PERSISTENT_FLAG = 2;

/** Options for `decodeSharedObject`. */
export interface SharedObjectDecodeOptions extends AmfMessageDecodeOptions {
  /** Most events one message may hold. Default `DEFAULT_MAX_SHARED_OBJECT_EVENTS` (1024). */
  maxEvents?: number;
}

/** Options for `encodeSharedObject`. */
export interface SharedObjectEncodeOptions {
  /** Default 0 (shared objects live on the NetConnection). */
  streamId?: number;
  /** Default 0. */
  timestamp?: number;
  /** Type 16 with its format byte, objects and arrays behind the 0x11 AVM+ switch. Default false (type 19). */
  amf3?: boolean;
}

const kindOfType = new Map<number, SharedObjectEvent['kind']>(
  Object.entries(SharedObjectEventType).map(([kind, type]) => [type, kind as SharedObjectEvent['kind']]),
);

/** State of one decode: the AMF0 reference table is shared by the whole message body. */
interface DecodeState {
  context: Amf0DecodeContext;
  maxValues: number;
  values: number;
}

/**
 * Reads a shared-object message (type 19, or 16 with its leading format byte). Each event is read
 * within its own length; an event that overruns it, or a message that ends inside an event, throws
 * `RtmpProtocolError`. Unknown event types come back as `kind: 'Unknown'`.
 */
export function decodeSharedObject(message: RtmpMessage, options: SharedObjectDecodeOptions = {}): SharedObjectMessage {
  expectMessageType('a shared-object message', message.type, MessageType.SharedObjectAmf0, MessageType.SharedObjectAmf3);
  const maxEvents = resolveLimit('maxEvents', options.maxEvents, DEFAULT_MAX_SHARED_OBJECT_EVENTS);
  const state: DecodeState = {
    context: createAmf0DecodeContext(options),
    maxValues: resolveLimit('maxValues', options.maxValues, DEFAULT_MAX_AMF_VALUES),
    values: 0,
  };
  return decodeOrThrowProtocolError('shared-object message', () => {
    const hasFormatByte = message.type === MessageType.SharedObjectAmf3;
    if (hasFormatByte && message.payload.length === 0) {
      throw new RtmpProtocolError('an AMF3 shared-object message must start with a format byte');
    }
    // The format byte is skipped whatever its value (0x00 in practice).
    const reader = new ByteReader(message.payload, hasFormatByte ? 1 : 0);
    const name = reader.utf8(reader.u16());
    const version = reader.u32();
    const flags = reader.bytes(SHARED_OBJECT_FLAGS_SIZE);
    const events: SharedObjectEvent[] = [];
    while (reader.remaining > 0) {
      checkLimit('maxEvents', maxEvents, events.length + 1, 'events in one shared-object message');
      const type = reader.u8();
      const length = reader.u32();
      if (length > reader.remaining) {
        throw new RtmpProtocolError(`shared-object event ${events.length} says ${length} bytes but only ${reader.remaining} are left`);
      }
      events.push(readEvent(new ByteReader(reader.buffer, reader.offset, reader.offset + length), type, state));
      reader.offset += length;
    }
    return { name, version, persistent: flags.readUInt32BE(0) !== 0, flags, events };
  });
}

function readEvent(reader: ByteReader, type: number, state: DecodeState): SharedObjectEvent {
  const kind = kindOfType.get(type);
  switch (kind) {
    case 'Use':
    case 'Release':
    case 'Clear':
    case 'UseSuccess':
      // No data is defined; anything there is ignored.
      return { kind };
    case 'Change':
    case 'RequestChange': {
      const properties: SharedObjectProperty[] = [];
      while (reader.remaining > 0) {
        const name = readBareString(reader);
        properties.push({ name, value: readValue(reader, state) });
      }
      return { kind, properties };
    }
    case 'Success':
    case 'Remove':
    case 'RequestRemove':
      return { kind, name: readBareString(reader) };
    case 'SendMessage': {
      const values: AmfValue[] = [];
      while (reader.remaining > 0) values.push(readValue(reader, state));
      return { kind, values };
    }
    case 'Status': {
      const code = readBareString(reader);
      return { kind, code, level: readBareString(reader) };
    }
    default:
      return { kind: 'Unknown', type, data: reader.bytes(reader.remaining) };
  }
}

function readBareString(reader: ByteReader): string {
  return reader.utf8(reader.u16());
}

function readValue(reader: ByteReader, state: DecodeState): AmfValue {
  checkLimit('maxValues', state.maxValues, ++state.values, 'AMF values in one shared-object message');
  return readAmf0(reader, state.context);
}

/** Builds a shared-object message: type 19, or 16 with `amf3: true`. */
export function encodeSharedObject(so: SharedObjectMessage, options: SharedObjectEncodeOptions = {}): RtmpMessage {
  const streamId = options.streamId ?? 0;
  const timestamp = options.timestamp ?? 0;
  assertUint32('streamId', streamId);
  assertUint32('timestamp', timestamp);
  assertUint32('version', so.version);
  const amf3 = options.amf3 === true;
  const writer = new ByteWriter();
  if (amf3) writer.u8(0x00);
  writeBareString(writer, so.name);
  writer.u32(so.version);
  if (so.flags !== undefined) {
    if (so.flags.length !== SHARED_OBJECT_FLAGS_SIZE) throw new RangeError(`flags must be ${SHARED_OBJECT_FLAGS_SIZE} bytes, got ${so.flags.length}`);
    writer.bytes(so.flags);
  } else {
    writer.u32(so.persistent ? PERSISTENT_FLAG : 0).u32(0);
  }
  const context = createAmf0EncodeContext({ avmplus: amf3 });
  for (const event of so.events) writeEvent(writer, event, context);
  return { type: amf3 ? MessageType.SharedObjectAmf3 : MessageType.SharedObjectAmf0, streamId, timestamp, payload: writer.finish() };
}

function writeEvent(writer: ByteWriter, event: SharedObjectEvent, context: Amf0EncodeContext): void {
  const type = event.kind === 'Unknown' ? event.type : SharedObjectEventType[event.kind];
  assertIntegerInRange('shared-object event type', type, 0, 0xff);
  writer.u8(type);
  const lengthAt = writer.size;
  writer.u32(0);
  switch (event.kind) {
    case 'Use':
    case 'Release':
    case 'Clear':
    case 'UseSuccess':
      break;
    case 'Change':
    case 'RequestChange':
      for (const property of event.properties) {
        writeBareString(writer, property.name);
        writeAmf0(writer, property.value, context);
      }
      break;
    case 'Success':
    case 'Remove':
    case 'RequestRemove':
      writeBareString(writer, event.name);
      break;
    case 'SendMessage':
      for (const value of event.values) writeAmf0(writer, value, context);
      break;
    case 'Status':
      writeBareString(writer, event.code);
      writeBareString(writer, event.level);
      break;
    case 'Unknown':
      writer.bytes(event.data);
      break;
    default:
      throw new RangeError(`unknown shared-object event kind ${(event as { kind: string }).kind}`);
  }
  writer.patchU32(lengthAt, writer.size - lengthAt - 4);
}

/** A UTF-8 string with a U16 length and no AMF marker. */
function writeBareString(writer: ByteWriter, text: string): void {
  const byteLength = Buffer.byteLength(text, 'utf8');
  if (byteLength > 0xffff) throw new RangeError(`a shared-object name or status string is at most 65535 UTF-8 bytes, got ${byteLength}`);
  writer.u16(byteLength);
  writer.utf8(text);
}
