import { ByteReader, ByteWriter, TruncatedInputError } from '@rtmpkit/core';
import type { RawChunk } from '../chunk-frame.js';
import { readVlu, writeVlu } from '../vlu.js';
import { ChunkType } from './chunk-type.js';

/** An inclusive run of received sequence numbers. */
export interface SequenceRange {
  readonly from: number;
  readonly to: number;
}

/** What both acknowledgement chunks start with. */
export interface AckHeader {
  readonly flowId: number;
  /** Receive window in 1024-byte blocks; 0 closes it (the sender then sends buffer probes). */
  readonly bufferBlocksAvailable: number;
  /** Every sequence number up to this one has arrived (0: none yet). */
  readonly cumulativeAck: number;
}

/** Data Acknowledgement Ranges: the header, then the runs received beyond the cumulative ack. */
export interface AckRangesChunk extends AckHeader {
  readonly kind: 'ack-ranges';
  /** Sorted, disjoint, with at least one missing number before each (absolute numbers). */
  readonly ranges: readonly SequenceRange[];
}

/**
 * Data Acknowledgement Bitmap: the header, then bits for the numbers after `cumulativeAck + 1`
 * (which is missing by definition): bit 0 (LSB) of the first byte stands for `cumulativeAck + 2`.
 */
export interface AckBitmapChunk extends AckHeader {
  readonly kind: 'ack-bitmap';
  readonly bitmap: Buffer;
}

function writeHeader(writer: ByteWriter, ack: AckHeader): void {
  writeVlu(writer, ack.flowId);
  writeVlu(writer, ack.bufferBlocksAvailable);
  writeVlu(writer, ack.cumulativeAck);
}

function readHeader(reader: ByteReader): AckHeader {
  return { flowId: readVlu(reader), bufferBlocksAvailable: readVlu(reader), cumulativeAck: readVlu(reader) };
}

/**
 * Frames a ranges ack. Each range is sent as `holes − 1, received − 1` counted from the end of
 * the previous one (the cumulative ack first). Ranges that touch, overlap or come out of order
 * cannot be expressed: `RangeError`.
 */
export function encodeAckRanges(chunk: Omit<AckRangesChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(16 + chunk.ranges.length * 4);
  writeHeader(writer, chunk);
  let cursor = chunk.cumulativeAck;
  for (const { from, to } of chunk.ranges) {
    if (from < cursor + 2 || to < from) {
      throw new RangeError(`ack range ${from}..${to} must start at least 2 after ${cursor} and not end before it starts`);
    }
    writeVlu(writer, from - cursor - 2);
    writeVlu(writer, to - from);
    cursor = to;
  }
  return { type: ChunkType.AckRanges, payload: writer.finish() };
}

/**
 * Reads a ranges ack. A sender may cut the list to fit its packet, so an incomplete last pair
 * is ignored rather than refused.
 */
export function decodeAckRanges(payload: Buffer): AckRangesChunk {
  const reader = new ByteReader(payload);
  const header = readHeader(reader);
  const ranges: SequenceRange[] = [];
  let cursor = header.cumulativeAck;
  while (reader.remaining > 0) {
    let holesMinusOne: number;
    let receivedMinusOne: number;
    try {
      holesMinusOne = readVlu(reader);
      receivedMinusOne = readVlu(reader);
    } catch (error) {
      if (error instanceof TruncatedInputError) break;
      throw error;
    }
    const from = cursor + holesMinusOne + 2;
    const to = from + receivedMinusOne;
    if (!Number.isSafeInteger(to)) break; // only garbage gets here; the rest of the list is unusable
    ranges.push({ from, to });
    cursor = to;
  }
  return { kind: 'ack-ranges', ...header, ranges };
}

/** Frames a bitmap ack. */
export function encodeAckBitmap(chunk: Omit<AckBitmapChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(16 + chunk.bitmap.length);
  writeHeader(writer, chunk);
  writer.bytes(chunk.bitmap);
  return { type: ChunkType.AckBitmap, payload: writer.finish() };
}

/** Reads a bitmap ack. */
export function decodeAckBitmap(payload: Buffer): AckBitmapChunk {
  const reader = new ByteReader(payload);
  const header = readHeader(reader);
  return { kind: 'ack-bitmap', ...header, bitmap: reader.bytes(reader.remaining) };
}

/** The runs a bitmap marks as received, as absolute sequence numbers. */
export function bitmapToRanges(cumulativeAck: number, bitmap: Uint8Array): SequenceRange[] {
  const ranges: SequenceRange[] = [];
  let start: number | undefined;
  for (let bit = 0; bit < bitmap.length * 8; bit++) {
    const sequenceNumber = cumulativeAck + 2 + bit;
    const set = (bitmap[bit >> 3]! >> (bit & 7)) & 1;
    if (set && start === undefined) start = sequenceNumber;
    if (!set && start !== undefined) {
      ranges.push({ from: start, to: sequenceNumber - 1 });
      start = undefined;
    }
  }
  if (start !== undefined) ranges.push({ from: start, to: cumulativeAck + 1 + bitmap.length * 8 });
  return ranges;
}
