import { ByteReader, ByteWriter } from '@rtmpkit/core';
import type { RawChunk } from '../chunk-frame.js';
import { readVlu, writeVlu } from '../vlu.js';
import { ChunkType } from './chunk-type.js';

/**
 * Packet Fragment: `flags (0x80: more follow) | packet id VLU | fragment number VLU | bytes`.
 * Splits a startup packet bigger than the path MTU; Flash-shaped handshakes never need it.
 */
export interface PacketFragmentChunk {
  readonly kind: 'fragment';
  readonly more: boolean;
  readonly packetId: number;
  readonly fragmentNumber: number;
  readonly data: Buffer;
}

/** Frames a Packet Fragment. */
export function encodePacketFragment(chunk: Omit<PacketFragmentChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.data.length + 16);
  writer.u8(chunk.more ? 0x80 : 0);
  writeVlu(writer, chunk.packetId);
  writeVlu(writer, chunk.fragmentNumber);
  writer.bytes(chunk.data);
  return { type: ChunkType.PacketFragment, payload: writer.finish() };
}

/** Reads a Packet Fragment payload (reserved flag bits are ignored). */
export function decodePacketFragment(payload: Buffer): PacketFragmentChunk {
  const reader = new ByteReader(payload);
  const more = (reader.u8() & 0x80) !== 0;
  const packetId = readVlu(reader);
  const fragmentNumber = readVlu(reader);
  return { kind: 'fragment', more, packetId, fragmentNumber, data: reader.bytes(reader.remaining) };
}
