import { ByteReader, ByteWriter, RtmpProtocolError } from '@rtmpkit/core';
import type { RawChunk } from '../chunk-frame.js';
import { readOptionList, writeMarker, writeOption, type RtmfpOption } from '../option.js';
import { encodeVlu, readVlu, writeVlu } from '../vlu.js';
import { ChunkType } from './chunk-type.js';

/** User data flag bits (RFC 7016 §2.3.11). */
export const UserDataFlag = {
  /** An option list follows the header. */
  Options: 0x80,
  /** The two fragment-control bits. */
  FragmentMask: 0x30,
  /** Abandon: this sequence number carries no data. */
  Abandon: 0x02,
  /** Final: the last sequence number of the flow. */
  Final: 0x01,
} as const;

/** User data option types. Types below 0x2000 are mandatory: a receiver that does not know one rejects the flow. */
export const UserDataOption = {
  /** The user's per-flow metadata (Flash: `TC…` or `GC…`). */
  Metadata: 0x00,
  /** The flow id of the far end's flow that this new flow answers. */
  ReturnFlowAssociation: 0x0a,
  /** Types from here on may be ignored. */
  MandatoryCutoff: 0x2000,
} as const;

/** Where a fragment sits in its message: whole, first, last, or in between. */
export type Fragmentation = 'whole' | 'begin' | 'end' | 'middle';

const FRAGMENTATIONS: readonly Fragmentation[] = ['whole', 'begin', 'end', 'middle'];

/** The options a user data chunk may carry, repeated until the flow's first ack. */
export interface UserDataOptions {
  /** Per-flow metadata, fixed for the flow's life. */
  readonly metadata?: Buffer;
  /** The receiving flow (opposite direction) this flow is associated with. */
  readonly returnFlowId?: number;
  /** Every other option, in order (unknown ones with a type below 0x2000 mean "reject the flow"). */
  readonly others?: readonly RtmfpOption[];
}

/** What User Data and Next User Data share. */
export interface UserDataFragment {
  readonly fragmentation: Fragmentation;
  readonly abandon: boolean;
  readonly final: boolean;
  /** Present exactly when the options flag is set. */
  readonly options?: UserDataOptions;
  /** The fragment's bytes: a view into the packet. */
  readonly data: Buffer;
}

/** User Data: `flags | flow id VLU | sequence number VLU | fsn offset VLU | [options marker] | data`. */
export interface UserDataChunk extends UserDataFragment {
  readonly kind: 'user-data';
  readonly flowId: number;
  readonly sequenceNumber: number;
  /** Forward sequence number = sequence number − this offset. */
  readonly fsnOffset: number;
}

/** Next User Data: `flags | [options marker] | data`; same flow as the chunk before it, next sequence number. */
export interface NextUserDataChunk extends UserDataFragment {
  readonly kind: 'next-user-data';
}

function flagsOf(fragment: Omit<UserDataFragment, 'data'>): number {
  return (
    (fragment.options ? UserDataFlag.Options : 0) |
    (FRAGMENTATIONS.indexOf(fragment.fragmentation) << 4) |
    (fragment.abandon ? UserDataFlag.Abandon : 0) |
    (fragment.final ? UserDataFlag.Final : 0)
  );
}

function writeOptions(writer: ByteWriter, options: UserDataOptions): void {
  if (options.metadata) writeOption(writer, UserDataOption.Metadata, options.metadata);
  if (options.returnFlowId !== undefined) writeOption(writer, UserDataOption.ReturnFlowAssociation, encodeVlu(options.returnFlowId));
  for (const option of options.others ?? []) writeOption(writer, option.type, option.value);
  writeMarker(writer);
}

function readOptions(reader: ByteReader): UserDataOptions {
  let metadata: Buffer | undefined;
  let returnFlowId: number | undefined;
  const others: RtmfpOption[] = [];
  for (const option of readOptionList(reader, true).options) {
    if (option.type === UserDataOption.Metadata && metadata === undefined) {
      metadata = option.value;
    } else if (option.type === UserDataOption.ReturnFlowAssociation && returnFlowId === undefined) {
      const value = new ByteReader(option.value);
      returnFlowId = readVlu(value);
      if (value.remaining > 0) throw new RtmpProtocolError('return flow association option has bytes after its flow id');
    } else {
      others.push(option);
    }
  }
  return {
    ...(metadata !== undefined && { metadata }),
    ...(returnFlowId !== undefined && { returnFlowId }),
    ...(others.length > 0 && { others }),
  };
}

function readFragment(reader: ByteReader, flags: number, options: UserDataOptions | undefined): UserDataFragment {
  return {
    fragmentation: FRAGMENTATIONS[(flags & UserDataFlag.FragmentMask) >> 4]!,
    abandon: (flags & UserDataFlag.Abandon) !== 0,
    final: (flags & UserDataFlag.Final) !== 0,
    ...(options && { options }),
    data: reader.bytes(reader.remaining),
  };
}

/** Frames a User Data chunk; the options flag is set exactly when `options` is given. */
export function encodeUserData(chunk: Omit<UserDataChunk, 'kind'>): RawChunk {
  if (chunk.fsnOffset > chunk.sequenceNumber) throw new RangeError('the fsn offset cannot exceed the sequence number');
  const writer = new ByteWriter(chunk.data.length + 32);
  writer.u8(flagsOf(chunk));
  writeVlu(writer, chunk.flowId);
  writeVlu(writer, chunk.sequenceNumber);
  writeVlu(writer, chunk.fsnOffset);
  if (chunk.options) writeOptions(writer, chunk.options);
  writer.bytes(chunk.data);
  return { type: ChunkType.UserData, payload: writer.finish() };
}

/**
 * Reads a User Data payload. Reserved flag bits (0x4c) are ignored; an fsn offset above the
 * sequence number (a negative forward sequence number) is an `RtmpProtocolError`.
 */
export function decodeUserData(payload: Buffer): UserDataChunk {
  const reader = new ByteReader(payload);
  const flags = reader.u8();
  const flowId = readVlu(reader);
  const sequenceNumber = readVlu(reader);
  const fsnOffset = readVlu(reader);
  if (fsnOffset > sequenceNumber) throw new RtmpProtocolError(`fsn offset ${fsnOffset} is larger than sequence number ${sequenceNumber}`);
  const options = flags & UserDataFlag.Options ? readOptions(reader) : undefined;
  return { kind: 'user-data', flowId, sequenceNumber, fsnOffset, ...readFragment(reader, flags, options) };
}

/** Frames a Next User Data chunk. */
export function encodeNextUserData(chunk: Omit<NextUserDataChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.data.length + 16);
  writer.u8(flagsOf(chunk));
  if (chunk.options) writeOptions(writer, chunk.options);
  writer.bytes(chunk.data);
  return { type: ChunkType.NextUserData, payload: writer.finish() };
}

/** Reads a Next User Data payload. */
export function decodeNextUserData(payload: Buffer): NextUserDataChunk {
  const reader = new ByteReader(payload);
  const flags = reader.u8();
  const options = flags & UserDataFlag.Options ? readOptions(reader) : undefined;
  return { kind: 'next-user-data', ...readFragment(reader, flags, options) };
}
