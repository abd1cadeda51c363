import { ByteReader } from '../../bytes/index.js';
import { assertIntegerInRange, assertUint32 } from '../encode-checks.js';
import { decodeOrThrowProtocolError, expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import type { RtmpMessage } from '../rtmp-message.js';
import { controlMessage } from './protocol-control.js';

/**
 * User Control event ids (message type 4, RTMP spec §6.2 and §7.1.7). 26/27 (SWF verification)
 * and 31/32 (buffer empty/ready, FMS 3.5) are not in the spec but are sent by Flash Media Server.
 */
export const UserControlEvent = {
  StreamBegin: 0,
  StreamEof: 1,
  StreamDry: 2,
  SetBufferLength: 3,
  StreamIsRecorded: 4,
  PingRequest: 6,
  PingResponse: 7,
  SwfVerificationRequest: 26,
  SwfVerificationResponse: 27,
  BufferEmpty: 31,
  BufferReady: 32,
} as const;

/** One of the `UserControlEvent` ids. */
export type UserControlEvent = (typeof UserControlEvent)[keyof typeof UserControlEvent];

/** Byte length of the SWF verification response data (the HMAC block of the digest handshake). */
export const SWF_VERIFICATION_RESPONSE_SIZE = 42;

/** The events whose only data is a message stream id. */
export type StreamUserControlKind = 'StreamBegin' | 'StreamEof' | 'StreamDry' | 'StreamIsRecorded' | 'BufferEmpty' | 'BufferReady';

/** A stream event (begin, EOF, dry, is-recorded, buffer empty/ready) about message stream `streamId`. */
export interface StreamUserControl {
  kind: StreamUserControlKind;
  streamId: number;
}

/** SetBufferLength: the client's buffer for `streamId`, in milliseconds. */
export interface SetBufferLengthUserControl {
  kind: 'SetBufferLength';
  streamId: number;
  bufferLength: number;
}

/** PingRequest (server → client) or PingResponse (the echo), carrying a timestamp. */
export interface PingUserControl {
  kind: 'PingRequest' | 'PingResponse';
  timestamp: number;
}

/** SWF verification request. Some servers add one byte saying which kind is wanted; most send none. */
export interface SwfVerificationRequestUserControl {
  kind: 'SwfVerificationRequest';
  verificationType?: number;
}

/** SWF verification response: 42 bytes (a view when decoded). */
export interface SwfVerificationResponseUserControl {
  kind: 'SwfVerificationResponse';
  response: Uint8Array;
}

/** An event this codec does not know: its id and the bytes after it (a view when decoded). */
export interface UnknownUserControl {
  kind: 'Unknown';
  event: number;
  data: Uint8Array;
}

/** A decoded User Control message (type 4), discriminated on `kind` (a `UserControlEvent` key). */
export type UserControlMessage =
  | StreamUserControl
  | SetBufferLengthUserControl
  | PingUserControl
  | SwfVerificationRequestUserControl
  | SwfVerificationResponseUserControl
  | UnknownUserControl;

const streamKinds = new Set<string>(['StreamBegin', 'StreamEof', 'StreamDry', 'StreamIsRecorded', 'BufferEmpty', 'BufferReady']);

/** The event id a User Control message is sent with. */
export function userControlEventId(control: UserControlMessage): number {
  return control.kind === 'Unknown' ? control.event : UserControlEvent[control.kind];
}

/**
 * Reads a User Control message (type 4). Data shorter than the event needs is a protocol error;
 * bytes after it are ignored (some servers pad). Unknown events come back as `kind: 'Unknown'`.
 */
export function decodeUserControl(message: RtmpMessage): UserControlMessage {
  expectMessageType('User Control', message.type, MessageType.UserControl);
  return decodeOrThrowProtocolError('User Control message', () => {
    const reader = new ByteReader(message.payload);
    const event = reader.u16();
    switch (event) {
      case UserControlEvent.StreamBegin:
        return { kind: 'StreamBegin', streamId: reader.u32() };
      case UserControlEvent.StreamEof:
        return { kind: 'StreamEof', streamId: reader.u32() };
      case UserControlEvent.StreamDry:
        return { kind: 'StreamDry', streamId: reader.u32() };
      case UserControlEvent.StreamIsRecorded:
        return { kind: 'StreamIsRecorded', streamId: reader.u32() };
      case UserControlEvent.BufferEmpty:
        return { kind: 'BufferEmpty', streamId: reader.u32() };
      case UserControlEvent.BufferReady:
        return { kind: 'BufferReady', streamId: reader.u32() };
      case UserControlEvent.SetBufferLength: {
        const streamId = reader.u32();
        return { kind: 'SetBufferLength', streamId, bufferLength: reader.u32() };
      }
      case UserControlEvent.PingRequest:
        return { kind: 'PingRequest', timestamp: reader.u32() };
      case UserControlEvent.PingResponse:
        return { kind: 'PingResponse', timestamp: reader.u32() };
      case UserControlEvent.SwfVerificationRequest:
        return reader.remaining > 0
          ? { kind: 'SwfVerificationRequest', verificationType: reader.u8() }
          : { kind: 'SwfVerificationRequest' };
      case UserControlEvent.SwfVerificationResponse:
        return { kind: 'SwfVerificationResponse', response: reader.bytes(SWF_VERIFICATION_RESPONSE_SIZE) };
      default:
        return { kind: 'Unknown', event, data: reader.bytes(reader.remaining) };
    }
  });
}

/** Builds a User Control message (type 4) on message stream 0. */
export function encodeUserControl(control: UserControlMessage, timestamp = 0): RtmpMessage {
  const event = userControlEventId(control);
  assertIntegerInRange('event', event, 0, 0xffff);
  let data: Buffer;
  if (streamKinds.has(control.kind)) {
    data = u32s('streamId', (control as StreamUserControl).streamId);
  } else {
    switch (control.kind) {
      case 'SetBufferLength':
        data = Buffer.concat([u32s('streamId', control.streamId), u32s('bufferLength', control.bufferLength)]);
        break;
      case 'PingRequest':
      case 'PingResponse':
        data = u32s('timestamp', control.timestamp);
        break;
      case 'SwfVerificationRequest':
        if (control.verificationType === undefined) {
          data = Buffer.alloc(0);
        } else {
          assertIntegerInRange('verificationType', control.verificationType, 0, 0xff);
          data = Buffer.of(control.verificationType);
        }
        break;
      case 'SwfVerificationResponse':
        if (control.response.length !== SWF_VERIFICATION_RESPONSE_SIZE) {
          throw new RangeError(`SWF verification response must be ${SWF_VERIFICATION_RESPONSE_SIZE} bytes, got ${control.response.length}`);
        }
        data = Buffer.from(control.response);
        break;
      case 'Unknown':
        data = Buffer.from(control.data);
        break;
      default:
        throw new RangeError(`unknown User Control kind ${(control as { kind: string }).kind}`);
    }
  }
  const payload = Buffer.allocUnsafe(2 + data.length);
  payload.writeUInt16BE(event, 0);
  data.copy(payload, 2);
  return controlMessage(MessageType.UserControl, payload, timestamp);
}

function u32s(name: string, value: number): Buffer {
  assertUint32(name, value);
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32BE(value, 0);
  return buffer;
}
