import type { RtmpMessage } from '../message/rtmp-message.js';
import { assertChunkSize, assertChunkStreamId, assertEncodableMessage } from './chunk-arguments.js';
import { DEFAULT_CHUNK_SIZE, EXTENDED_TIMESTAMP_MARKER } from './chunk-constants.js';
import { grownTo } from './grown-array.js';
import { typeZeroPlan, writeMessageChunks, type ChunkHeaderPlan } from './chunk-writer.js';

/** Options of `ChunkEncoder`. */
export interface ChunkEncoderOptions {
  /** Outgoing chunk size to start with. Default 128 (`DEFAULT_CHUNK_SIZE`), as the spec requires. */
  chunkSize?: number;
}

/** What the peer's decoder remembers about one chunk stream after our last message on it. */
interface SentHeader {
  streamId: number;
  type: number;
  length: number;
  timestamp: number;
  /** The delta a fmt 3 new message would add; after fmt 0, its absolute timestamp (spec §5.3.1.2.4). */
  delta: number;
  extended: boolean;
}

/** Chunk stream ids below this are kept in an array indexed by id; the rest in a Map. */
const LOW_IDS = 64;

/**
 * Splits outgoing messages into chunks for one connection. It remembers, per chunk stream, the
 * header the peer last saw, and picks the smallest header that decodes correctly:
 * fmt 0 for a new chunk stream, another message stream id or a timestamp that goes backwards;
 * fmt 1 when the length or type changed; fmt 2 when only the delta changed; fmt 3 when all repeat.
 *
 * After sending a Set Chunk Size message, call `setChunkSize` before encoding the next message.
 */
export class ChunkEncoder {
  private size: number;
  /** Per chunk stream id below LOW_IDS (grown as ids are used). */
  private lowSent: Array<SentHeader | undefined> = [];
  /** Higher chunk stream ids, made for the first one. */
  private highSent: Map<number, SentHeader> | undefined;

  /** @param options.chunkSize the outgoing chunk size to start with (default 128). */
  constructor(options: ChunkEncoderOptions = {}) {
    const size = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    assertChunkSize(size, 'chunkSize');
    this.size = size;
  }

  /** The outgoing chunk size in force. */
  get chunkSize(): number {
    return this.size;
  }

  /** Changes the outgoing chunk size (1..2^31-1) for the messages encoded from now on. */
  setChunkSize(size: number): void {
    assertChunkSize(size);
    this.size = size;
  }

  /** Encodes `message` on `chunkStreamId` into one Buffer holding all its chunks. */
  encode(message: RtmpMessage, chunkStreamId: number): Buffer {
    return writeMessageChunks(message, chunkStreamId, this.size, this.plan(message, chunkStreamId));
  }

  /**
   * Same bytes as `encode`, as one view per chunk (all into one allocation), so chunks of
   * several chunk streams can be interleaved on the wire.
   */
  encodeChunks(message: RtmpMessage, chunkStreamId: number): Buffer[] {
    const chunks: Buffer[] = [];
    writeMessageChunks(message, chunkStreamId, this.size, this.plan(message, chunkStreamId), chunks);
    return chunks;
  }

  /**
   * Records that `message` was written on `chunkStreamId` with a fmt 0 header by someone else
   * (typically `encodeMessageChunks`, shared between connections), so the next `encode` on this
   * chunk stream picks a header relative to it.
   */
  recordSent(message: RtmpMessage, chunkStreamId: number): void {
    assertEncodableMessage(message);
    assertChunkStreamId(chunkStreamId);
    // A fmt 0 header's fields, without allocating a plan (this runs per player per message in fan-out).
    this.remember(message, chunkStreamId, message.timestamp, message.timestamp >= EXTENDED_TIMESTAMP_MARKER);
  }

  private sentOn(chunkStreamId: number): SentHeader | undefined {
    return chunkStreamId < LOW_IDS ? this.lowSent[chunkStreamId] : this.highSent?.get(chunkStreamId);
  }

  /** Chooses the header for `message` and updates the remembered state as the peer will. */
  private plan(message: RtmpMessage, chunkStreamId: number): ChunkHeaderPlan {
    assertEncodableMessage(message);
    assertChunkStreamId(chunkStreamId);
    const last = this.sentOn(chunkStreamId);
    let plan: ChunkHeaderPlan;
    if (last === undefined || last.streamId !== message.streamId || message.timestamp < last.timestamp) {
      // Deltas are unsigned, so a step back (including a 32-bit wrap) needs an absolute timestamp.
      plan = typeZeroPlan(message.timestamp);
    } else {
      const delta = message.timestamp - last.timestamp;
      if (message.payload.length !== last.length || message.type !== last.type) {
        plan = { fmt: 1, timestampField: delta, extended: delta >= EXTENDED_TIMESTAMP_MARKER };
      } else if (delta !== last.delta) {
        plan = { fmt: 2, timestampField: delta, extended: delta >= EXTENDED_TIMESTAMP_MARKER };
      } else {
        // fmt 3 keeps the header in force, including whether it carries the extended field.
        plan = { fmt: 3, timestampField: last.delta, extended: last.extended };
      }
    }
    this.remember(message, chunkStreamId, plan.timestampField, plan.extended);
    return plan;
  }

  private stateOf(chunkStreamId: number): SentHeader {
    let state = this.sentOn(chunkStreamId);
    if (state === undefined) {
      state = { streamId: 0, type: 0, length: 0, timestamp: 0, delta: 0, extended: false };
      if (chunkStreamId < LOW_IDS) {
        if (chunkStreamId >= this.lowSent.length) this.lowSent = grownTo(this.lowSent, chunkStreamId + 1);
        this.lowSent[chunkStreamId] = state;
      } else {
        (this.highSent ??= new Map()).set(chunkStreamId, state);
      }
    }
    return state;
  }

  /** Updates what the peer will remember of `chunkStreamId` after this header (`delta`: its timestamp field). */
  private remember(message: RtmpMessage, chunkStreamId: number, delta: number, extended: boolean): void {
    const state = this.stateOf(chunkStreamId);
    state.streamId = message.streamId;
    state.type = message.type;
    state.length = message.payload.length;
    state.timestamp = message.timestamp;
    state.delta = delta;
    state.extended = extended;
  }
}
