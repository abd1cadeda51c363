import { ByteReader, ByteWriter } from '@rtmpkit/core';
import type { RawChunk } from '../chunk-frame.js';
import { readVluField, writeVluField } from '../vlu.js';
import { ChunkType } from './chunk-type.js';

/**
 * IIKeying: `initiator session id (32) | cookie echo (VLU field) | initiator certificate
 * (VLU field) | session key initiator component (VLU field) | signature (rest)`.
 */
export interface IIKeyingChunk {
  readonly kind: 'iikeying';
  /** The id the responder must address its packets to. */
  readonly initiatorSessionId: number;
  readonly cookie: Buffer;
  readonly certificate: Buffer;
  /** The SKIC exactly as sent: key derivation hashes these bytes. */
  readonly skic: Buffer;
  /** The Flash profile does not check signatures; Flash Player sends `58` ('X'). */
  readonly signature: Buffer;
}

/** RIKeying: `responder session id (32) | session key responder component (VLU field) | signature (rest)`. */
export interface RIKeyingChunk {
  readonly kind: 'rikeying';
  /** The id the initiator must address its packets to. */
  readonly responderSessionId: number;
  /** The SKRC exactly as sent. */
  readonly skrc: Buffer;
  readonly signature: Buffer;
}

function checkSessionId(id: number): void {
  if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) throw new RangeError(`session id out of range: ${id}`);
}

/** Frames an IIKeying. */
export function encodeIIKeying(chunk: Omit<IIKeyingChunk, 'kind'>): RawChunk {
  checkSessionId(chunk.initiatorSessionId);
  const writer = new ByteWriter(chunk.cookie.length + chunk.certificate.length + chunk.skic.length + 16);
  writer.u32(chunk.initiatorSessionId);
  writeVluField(writer, chunk.cookie);
  writeVluField(writer, chunk.certificate);
  writeVluField(writer, chunk.skic);
  writer.bytes(chunk.signature);
  return { type: ChunkType.IIKeying, payload: writer.finish() };
}

/** Reads an IIKeying payload. */
export function decodeIIKeying(payload: Buffer): IIKeyingChunk {
  const reader = new ByteReader(payload);
  const initiatorSessionId = reader.u32();
  const cookie = readVluField(reader);
  const certificate = readVluField(reader);
  const skic = readVluField(reader);
  return { kind: 'iikeying', initiatorSessionId, cookie, certificate, skic, signature: reader.bytes(reader.remaining) };
}

/** Frames an RIKeying. */
export function encodeRIKeying(chunk: Omit<RIKeyingChunk, 'kind'>): RawChunk {
  checkSessionId(chunk.responderSessionId);
  const writer = new ByteWriter(chunk.skrc.length + chunk.signature.length + 8);
  writer.u32(chunk.responderSessionId);
  writeVluField(writer, chunk.skrc);
  writer.bytes(chunk.signature);
  return { type: ChunkType.RIKeying, payload: writer.finish() };
}

/** Reads an RIKeying payload. */
export function decodeRIKeying(payload: Buffer): RIKeyingChunk {
  const reader = new ByteReader(payload);
  const responderSessionId = reader.u32();
  const skrc = readVluField(reader);
  return { kind: 'rikeying', responderSessionId, skrc, signature: reader.bytes(reader.remaining) };
}
