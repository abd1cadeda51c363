import type { AmfValue } from '../../amf/amf-value.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import type { RtmpMessage } from '../rtmp-message.js';
import { decodeAmfMessagePayload, encodeAmfMessage, type AmfMessageDecodeOptions, type AmfMessageEncodeOptions } from './amf-payload.js';

/**
 * An RTMP command (message type 20, or 17 for AMF3): `name · transactionId · commandObject · args…`.
 * Replies (`_result`, `_error`) carry the request's transaction id; 0 means no reply is expected.
 */
export interface RtmpCommand {
  /** e.g. `connect`, `createStream`, `publish`, `_result`, `onStatus`. */
  name: string;
  transactionId: number;
  /** The command object (connect properties, `_result` properties) or null; null when the message stops after the transaction id. */
  commandObject: AmfValue;
  /** Everything after the command object. */
  args: AmfValue[];
}

/** Options for `encodeCommand`; see `AmfMessageEncodeOptions`. */
export type EncodeCommandOptions = AmfMessageEncodeOptions;

/** Options for `decodeCommand`; see `AmfMessageDecodeOptions`. */
export type DecodeCommandOptions = AmfMessageDecodeOptions;

/** True for message types 20 and 17. */
export function isCommandMessage(message: RtmpMessage): boolean {
  return message.type === MessageType.CommandAmf0 || message.type === MessageType.CommandAmf3;
}

/**
 * Reads a command message (type 20, or 17 with its leading format byte; any value may be
 * 0x11-switched to AMF3). A missing or non-string name, or a missing or non-number transaction id,
 * throws `RtmpProtocolError`; bad AMF throws `AmfDecodeError`.
 */
export function decodeCommand(message: RtmpMessage, options?: DecodeCommandOptions): RtmpCommand {
  expectMessageType('a command', message.type, MessageType.CommandAmf0, MessageType.CommandAmf3);
  const values = decodeAmfMessagePayload(message.payload, message.type === MessageType.CommandAmf3, options, 'command message');
  const [name, transactionId] = values;
  if (typeof name !== 'string') {
    throw new RtmpProtocolError(`a command must start with its name (a string), got ${describe(name, values.length > 0)}`);
  }
  if (typeof transactionId !== 'number') {
    throw new RtmpProtocolError(`command "${name}" needs a number transaction id, got ${describe(transactionId, values.length > 1)}`);
  }
  return { name, transactionId, commandObject: values.length > 2 ? values[2] : null, args: values.slice(3) };
}

/** Builds a command message: type 20, or 17 with `amf3: true`. */
export function encodeCommand(command: RtmpCommand, options: EncodeCommandOptions): RtmpMessage {
  if (typeof command.name !== 'string') throw new TypeError('command name must be a string');
  if (typeof command.transactionId !== 'number') throw new TypeError('command transactionId must be a number');
  const values: AmfValue[] = [command.name, command.transactionId, command.commandObject, ...command.args];
  return encodeAmfMessage(values, MessageType.CommandAmf0, MessageType.CommandAmf3, options);
}

function describe(value: AmfValue, present: boolean): string {
  if (!present) return 'nothing';
  if (value === null) return 'null';
  return typeof value;
}
