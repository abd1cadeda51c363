import { ByteReader, ByteWriter } from '@rtmpkit/core';
import type { RawChunk } from '../chunk-frame.js';
import { readVlu, writeVlu } from '../vlu.js';
import { ChunkType } from './chunk-type.js';

/** Ping: any bytes; the reply echoes them. Empty pings serve as keepalives. */
export interface PingChunk {
  readonly kind: 'ping';
  readonly message: Buffer;
}

/** Ping Reply: the ping's bytes, unchanged. */
export interface PingReplyChunk {
  readonly kind: 'ping-reply';
  readonly message: Buffer;
}

/** Buffer Probe: `flow id VLU`; asks for an ack after the receiver advertised a closed window. */
export interface BufferProbeChunk {
  readonly kind: 'buffer-probe';
  readonly flowId: number;
}

/** Flow Exception Report: `flow id VLU | exception code VLU`; the receiver rejects or aborts a flow. */
export interface FlowExceptionChunk {
  readonly kind: 'flow-exception';
  readonly flowId: number;
  readonly exceptionCode: number;
}

/** Session Close Request (no payload). */
export interface CloseChunk {
  readonly kind: 'close';
}

/** Session Close Acknowledgement (no payload). */
export interface CloseAckChunk {
  readonly kind: 'close-ack';
}

/** Frames a Ping. */
export function encodePing(message: Uint8Array = Buffer.alloc(0)): RawChunk {
  return { type: ChunkType.Ping, payload: Buffer.from(message) };
}

/** Frames a Ping Reply. */
export function encodePingReply(message: Uint8Array): RawChunk {
  return { type: ChunkType.PingReply, payload: Buffer.from(message) };
}

/** Frames a Buffer Probe. */
export function encodeBufferProbe(flowId: number): RawChunk {
  const writer = new ByteWriter(8);
  writeVlu(writer, flowId);
  return { type: ChunkType.BufferProbe, payload: writer.finish() };
}

/** Reads a Buffer Probe payload (bytes after the flow id are ignored). */
export function decodeBufferProbe(payload: Buffer): BufferProbeChunk {
  return { kind: 'buffer-probe', flowId: readVlu(new ByteReader(payload)) };
}

/** Frames a Flow Exception Report. */
export function encodeFlowException(flowId: number, exceptionCode: number): RawChunk {
  const writer = new ByteWriter(16);
  writeVlu(writer, flowId);
  writeVlu(writer, exceptionCode);
  return { type: ChunkType.FlowException, payload: writer.finish() };
}

/** Reads a Flow Exception Report payload. */
export function decodeFlowException(payload: Buffer): FlowExceptionChunk {
  const reader = new ByteReader(payload);
  const flowId = readVlu(reader);
  return { kind: 'flow-exception', flowId, exceptionCode: readVlu(reader) };
}

/** Frames a Session Close Request: `0c 0000`. */
export function encodeClose(): RawChunk {
  return { type: ChunkType.Close, payload: Buffer.alloc(0) };
}

/** Frames a Session Close Acknowledgement: `4c 0000`. */
export function encodeCloseAck(): RawChunk {
  return { type: ChunkType.CloseAck, payload: Buffer.alloc(0) };
}
