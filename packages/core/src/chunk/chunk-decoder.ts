import { LimitExceededError, RtmpProtocolError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import { basicHeaderSizeOf, readChunkStreamId } from './basic-header.js';
import { assertChunkSize } from './chunk-arguments.js';
import { ABORT, EXTENDED_TIMESTAMP_MARKER, MESSAGE_HEADER_SIZE, SET_CHUNK_SIZE } from './chunk-constants.js';
import { resolveChunkDecoderOptions, type ChunkDecoderOptions } from './chunk-decoder-options.js';
import { ChunkStreamState } from './chunk-stream-state.js';
import { checkPeerChunkSize, isFourByteControl, readControlValue } from './control-payload.js';
import { sharedPayloadSlab } from './payload-slab.js';
import { grownTo } from './grown-array.js';
import { PartialMessageBudget } from './partial-message-budget.js';

// What the decoder waits for next. Each state consumes bytes only once it has all it needs;
// a part cut short is kept in `scratch` (at most 18 header bytes), never the input itself.
const READ_HEADER = 0; // basic header + message header (1..14 bytes, size known from the first byte)
const READ_EXTENDED = 1; // the 4-byte extended timestamp, certainly present
const PEEK_EXTENDED = 2; // 'auto': 4 bytes that may be the extended timestamp or chunk data
const READ_DATA = 3; // chunk data of the message on `current`

/** The longest chunk header: 3-byte basic header, 11-byte message header, 4-byte extended timestamp. */
const MAX_HEADER_SIZE = 18;

/** Chunk stream ids below this are kept in an array indexed by id (peers use 2..8 or so); the rest in a Map. */
const LOW_IDS = 64;

/** Called for each complete message, in order, with the chunk stream it came on. */
export type ChunkMessageListener = (message: RtmpMessage, chunkStreamId: number) => void;

/**
 * Reassembles RTMP messages from the incoming chunk stream of one connection (spec §5.3).
 * Feed it bytes as they arrive, split anywhere. Set Chunk Size and Abort take effect the moment
 * they are decoded (later chunks of the same `push` already use them) and are passed on as well.
 *
 * A message that lies whole in one chunk and one input buffer is handed out as a view of the
 * input; any other message is copied into one buffer of exactly its length.
 *
 * After any error the decoder is unusable: every later `push` throws the same error.
 */
export class ChunkDecoder {
  private size: number;
  private readonly maxMessageSize: number;
  private readonly maxChunkSize: number;
  private readonly maxChunkStreams: number;
  private readonly type3Extended: 'auto' | 'always' | 'never';
  private readonly reuseBuffersUpTo: number;

  /** Chunk streams with ids below LOW_IDS, by id (grown as ids come). */
  private lowStreams: Array<ChunkStreamState | undefined> = [];
  /** Chunk streams with higher ids, made for the first such id. */
  private highStreams: Map<number, ChunkStreamState> | undefined;
  private streamCount = 0;
  private readonly partial: PartialMessageBudget;

  private state = READ_HEADER;
  /** A header or extended timestamp cut short by the end of an input; made the first time one is. */
  private scratch: Buffer | undefined;
  private scratchLength = 0;
  /** Chunk stream of the chunk being read. */
  private current: ChunkStreamState | null = null;
  /** Header type (fmt) of the chunk being read. */
  private fmt = 0;
  /** Its 24-bit timestamp/delta field (for fmt 3, the delta in force). */
  private field = 0;
  /** Data bytes left in the chunk being read. */
  private chunkRemaining = 0;

  private listener: ChunkMessageListener | null = null;
  private failed = false;
  private failure: unknown = undefined;

  /** @param options limits and peer quirks; see `ChunkDecoderOptions` for the defaults. */
  constructor(options: ChunkDecoderOptions = {}) {
    const resolved = resolveChunkDecoderOptions(options);
    this.size = resolved.chunkSize;
    this.maxMessageSize = resolved.maxMessageSize;
    this.maxChunkSize = resolved.maxChunkSize;
    this.maxChunkStreams = resolved.maxChunkStreams;
    this.partial = new PartialMessageBudget(resolved.maxPartialMessages, resolved.maxPartialBytes);
    this.type3Extended = resolved.extendedTimestampOnType3;
    this.reuseBuffersUpTo = resolved.reuseBuffersUpTo;
  }

  /** The incoming chunk size in force. */
  get chunkSize(): number {
    return this.size;
  }

  /** Bytes held for partly received messages (what `maxPartialBytes` limits). */
  get bufferedBytes(): number {
    return this.partial.bytes;
  }

  /**
   * True while anything is partly received: a chunk header, a chunk's data, or a message. A
   * connection that ends now ended mid-chunk or mid-message.
   */
  get hasPartialInput(): boolean {
    return this.state !== READ_HEADER || this.scratchLength > 0 || this.partial.messages > 0;
  }

  /** Sets the incoming chunk size from outside (it normally changes by a Set Chunk Size message). */
  setChunkSize(size: number): void {
    assertChunkSize(size);
    this.useChunkSize(size, 'setChunkSize');
  }

  private useChunkSize(size: number, source: string): void {
    if (size > this.maxChunkSize) {
      throw new LimitExceededError('maxChunkSize', this.maxChunkSize, `${source}: chunk size ${size}`);
    }
    this.size = size;
  }

  /**
   * Decodes `bytes` (any split of the stream) and calls `onMessage` for every message they
   * complete, in order. Throws `RtmpProtocolError` or `LimitExceededError` on bad input.
   */
  push(bytes: Uint8Array, onMessage: ChunkMessageListener): void {
    if (this.failed) throw this.failure;
    if (this.listener !== null) throw new Error('ChunkDecoder.push was called from inside its own onMessage');
    const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.listener = onMessage;
    try {
      this.run(input, 0);
    } catch (error) {
      this.failed = true;
      this.failure = error;
      throw error;
    } finally {
      this.listener = null;
    }
  }

  private run(input: Buffer, start: number): void {
    const end = input.length;
    let pos = start;
    while (pos < end) {
      switch (this.state) {
        case READ_HEADER:
          pos = this.readHeader(input, pos, end);
          break;
        case READ_DATA:
          pos = this.readData(input, pos, end);
          break;
        case READ_EXTENDED:
          pos = this.readExtended(input, pos, end);
          break;
        default:
          pos = this.peekExtended(input, pos, end);
      }
    }
  }

  /** Copies up to `need` bytes in total into `scratch`; true once it holds them all. */
  private gather(input: Buffer, pos: number, end: number, need: number): boolean {
    const take = Math.min(need - this.scratchLength, end - pos);
    input.copy((this.scratch ??= Buffer.alloc(MAX_HEADER_SIZE)), this.scratchLength, pos, pos + take);
    this.scratchLength += take;
    return this.scratchLength === need;
  }

  private readHeader(input: Buffer, pos: number, end: number): number {
    const first = this.scratchLength === 0 ? input[pos]! : this.scratch![0]!;
    const size = basicHeaderSizeOf(first) + MESSAGE_HEADER_SIZE[first >>> 6]!;
    if (this.scratchLength === 0 && end - pos >= size) {
      this.decodeHeader(input, pos); // fast path: the whole header is in this input
    } else {
      const had = this.scratchLength;
      if (!this.gather(input, pos, end, size)) return end;
      this.scratchLength = 0;
      this.decodeHeader(this.scratch!, 0);
      return this.afterHeader(input, pos + size - had, end);
    }
    return this.afterHeader(input, pos + size, end);
  }

  /** Reads a basic + message header into `current`, `fmt` and `field`. */
  private decodeHeader(source: Buffer, at: number): void {
    const first = source[at]!;
    const fmt = first >>> 6;
    const id = readChunkStreamId(source, at);
    at += basicHeaderSizeOf(first);
    // Consecutive chunks usually share a chunk stream: skip the map then.
    let stream = this.current !== null && this.current.id === id ? this.current : this.streamOf(id);
    if (stream === undefined) {
      // A fmt 1 header still says length and type; like librtmp and FFmpeg, take the message
      // stream id and the base timestamp as 0 (rtmpsrv starts chunk streams this way).
      // fmt 2 and 3 leave the length unknown: nothing sensible can follow.
      if (fmt > 1) {
        throw new RtmpProtocolError(`chunk stream ${id}: a fmt ${fmt} header arrived before any fmt 0 or 1 header`);
      }
      if (this.streamCount >= this.maxChunkStreams) {
        throw new LimitExceededError('maxChunkStreams', this.maxChunkStreams, `chunk stream ${id} is one chunk stream too many`);
      }
      stream = new ChunkStreamState(id);
      this.addStream(stream);
    }
    this.current = stream;
    this.fmt = fmt;
    if (fmt === 3) {
      this.field = stream.delta;
      return;
    }
    const field = (source[at]! << 16) | (source[at + 1]! << 8) | source[at + 2]!;
    this.field = field;
    stream.extended = field === EXTENDED_TIMESTAMP_MARKER;
    if (fmt === 2) return;
    const length = (source[at + 3]! << 16) | (source[at + 4]! << 8) | source[at + 5]!;
    if (stream.payload !== null) {
      // A full header in the middle of a message may only restate it.
      if (length !== stream.length) {
        throw new RtmpProtocolError(
          `chunk stream ${id}: message length changed from ${stream.length} to ${length} in the middle of a message`,
        );
      }
      return;
    }
    stream.length = length;
    stream.type = source[at + 6]!;
    if (fmt === 0) stream.streamId = source.readUInt32LE(at + 7); // the one little-endian field
  }

  private streamOf(id: number): ChunkStreamState | undefined {
    return id < LOW_IDS ? this.lowStreams[id] : this.highStreams?.get(id);
  }

  private addStream(stream: ChunkStreamState): void {
    const { id } = stream;
    if (id < LOW_IDS) {
      if (id >= this.lowStreams.length) this.lowStreams = grownTo(this.lowStreams, id + 1);
      this.lowStreams[id] = stream;
    } else {
      (this.highStreams ??= new Map()).set(id, stream);
    }
    this.streamCount++;
  }

  /** Decides whether an extended timestamp follows the header just read. */
  private afterHeader(input: Buffer, pos: number, end: number): number {
    if (this.fmt !== 3) {
      if (this.field === EXTENDED_TIMESTAMP_MARKER) {
        this.state = READ_EXTENDED;
        return pos;
      }
    } else if (this.current!.extended && this.type3Extended !== 'never') {
      this.state = this.type3Extended === 'always' ? READ_EXTENDED : PEEK_EXTENDED;
      return pos;
    }
    return this.startChunk(this.field, input, pos, end);
  }

  private readExtended(input: Buffer, pos: number, end: number): number {
    if (this.scratchLength === 0 && end - pos >= 4) {
      return this.startChunk(input.readUInt32BE(pos), input, pos + 4, end);
    }
    const had = this.scratchLength;
    if (!this.gather(input, pos, end, 4)) return end;
    this.scratchLength = 0;
    return this.startChunk(this.scratch!.readUInt32BE(0), input, pos + 4 - had, end);
  }

  /**
   * 'auto' mode: the header in force used 0xFFFFFF, so a spec-following peer repeats the field
   * here, and librtmp 2.4 does not. Take the 4 bytes as the field only if they equal the value in
   * force or the message's absolute timestamp; otherwise they are data and are read again as such.
   */
  private peekExtended(input: Buffer, pos: number, end: number): number {
    const stream = this.current!;
    const earlier = this.scratchLength; // bytes peeked from previous inputs
    let value: number;
    let taken: number;
    if (earlier === 0 && end - pos >= 4) {
      value = input.readUInt32BE(pos);
      taken = 4;
    } else {
      taken = Math.min(4 - earlier, end - pos);
      if (!this.gather(input, pos, end, 4)) return end;
      this.scratchLength = 0;
      value = this.scratch!.readUInt32BE(0);
    }
    const timestamp = stream.payload === null ? (stream.timestamp + stream.delta) >>> 0 : stream.timestamp;
    if (value === stream.delta || value === timestamp) return this.startChunk(stream.delta, input, pos + taken, end);
    if (earlier === 0) return this.startChunk(stream.delta, input, pos, end);
    // The peeked bytes from earlier inputs are data: copy them out (scratch is reused) and
    // decode them before the rest of this input, which resumes where the peek began.
    const replay = Buffer.from(this.scratch!.subarray(0, earlier));
    this.run(replay, this.startChunk(stream.delta, replay, 0, replay.length));
    return pos;
  }

  /** Applies the header's timestamp (`value`: the field or the extended field) and starts the chunk's data. */
  private startChunk(value: number, input: Buffer, pos: number, end: number): number {
    const stream = this.current!;
    if (stream.payload !== null) {
      // Continuation of the message in flight: its timestamp and header stay as they began.
      this.chunkRemaining = Math.min(this.size, stream.length - stream.received);
      this.state = READ_DATA;
      return pos;
    }
    if (this.fmt === 0) {
      stream.timestamp = value;
      stream.delta = value; // a later fmt 3 new message reuses it as its delta
    } else {
      stream.delta = value;
      stream.timestamp = (stream.timestamp + value) >>> 0; // deltas add modulo 2^32
    }
    const length = stream.length;
    if (length > this.maxMessageSize) {
      throw new LimitExceededError('maxMessageSize', this.maxMessageSize, `chunk stream ${stream.id}: message of ${length} bytes`);
    }
    if (length <= this.size && end - pos >= length) {
      this.state = READ_HEADER; // whole message in this chunk and this input: hand out a view
      this.complete(stream, input.subarray(pos, pos + length));
      return pos + length;
    }
    this.partial.reserve(length, stream.id);
    stream.payload = this.reassemblyBuffer(stream, length);
    stream.received = 0;
    this.chunkRemaining = Math.min(this.size, length);
    this.state = READ_DATA;
    return pos;
  }

  /**
   * A buffer of exactly `length` bytes for a message in several chunks. Every byte is written
   * before the message is handed out, so unzeroed memory is safe here.
   */
  private reassemblyBuffer(stream: ChunkStreamState, length: number): Buffer {
    if (length > this.reuseBuffersUpTo) return sharedPayloadSlab.take(length);
    if (stream.spare === null || stream.spare.length < length) {
      // Grow in steps so a stream of slowly growing frames does not reallocate each time.
      stream.spare = Buffer.allocUnsafeSlow(Math.min(this.reuseBuffersUpTo, Math.max(length, 2 * (stream.spare?.length ?? 0), 4096)));
    }
    return stream.spare.subarray(0, length);
  }

  private readData(input: Buffer, pos: number, end: number): number {
    const stream = this.current!;
    const payload = stream.payload!;
    const count = Math.min(this.chunkRemaining, end - pos);
    if (count < 16) {
      // For a few bytes a loop beats the native copy call.
      for (let i = 0, at = stream.received; i < count; i++) payload[at + i] = input[pos + i]!;
    } else {
      input.copy(payload, stream.received, pos, pos + count);
    }
    stream.received += count;
    this.chunkRemaining -= count;
    if (this.chunkRemaining === 0) {
      this.state = READ_HEADER;
      if (stream.received === payload.length) {
        this.release(stream);
        this.complete(stream, payload);
      }
    }
    return pos + count;
  }

  private release(stream: ChunkStreamState): void {
    this.partial.release(stream.payload!.length);
    stream.payload = null;
    stream.received = 0;
  }

  /** Acts on the protocol control messages the chunk layer owns, then hands the message out. */
  private complete(stream: ChunkStreamState, payload: Buffer): void {
    const type = stream.type;
    if (isFourByteControl(type)) {
      const value = readControlValue(type, payload);
      if (type === SET_CHUNK_SIZE) {
        this.useChunkSize(checkPeerChunkSize(value), 'Set Chunk Size from the peer');
      } else if (type === ABORT) {
        const aborted = this.streamOf(value);
        if (aborted !== undefined && aborted.payload !== null) this.release(aborted);
      }
    }
    this.listener!({ type, streamId: stream.streamId, timestamp: stream.timestamp, payload }, stream.id);
  }
}
