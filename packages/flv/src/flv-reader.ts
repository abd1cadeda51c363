import { ByteReader, FLV_BACK_POINTER_SIZE, FLV_TAG_HEADER_SIZE, readFlvTagHeader, TruncatedInputError, type FlvTagHeader } from '@rtmpkit/core';
import { FLV_HEADER_SIZE } from './constants.js';
import { parseFlvHeader, type FlvHeader } from './flv-header.js';
import { checkBackPointer, checkFlvTagHeader, type FlvTag } from './flv-tag.js';
import { resolveFlvParseOptions, type FlvParseOptions, type FlvTruncation, type ResolvedFlvParseOptions } from './reader-options.js';

/** Options for `FlvReader`. */
export interface FlvReaderOptions extends FlvParseOptions {
  /**
   * The input starts at this byte offset of a file, on a tag header (for example a keyframe
   * offset from `indexFlvFile`): no FLV header is expected, and the back pointer before that tag
   * is not checked. Tag offsets count from here. Default (or 0): the input is a whole file, header first.
   */
  start?: number;
}

/** Called for each complete tag, in file order. */
export type FlvTagHandler = (tag: FlvTag) => void;

type State = 'header' | 'skip' | 'firstBackPointer' | 'tagHeader' | 'tagBody';

/**
 * An incremental FLV parser: push bytes as they arrive, split anywhere, and get each complete
 * tag as an `FlvTag` (an `RtmpMessage` with its file offset). A payload is a view of the pushed
 * bytes when the whole tag arrived in one push, else of a buffer the reader assembled; copy it
 * if the pushed buffer will be reused.
 *
 * Checks: the header (signature, version, DataOffset ≥ 9; more is skipped), PreviousTagSize0 and
 * every back pointer (`RtmpProtocolError` on a mismatch unless `tolerateBadBackPointers`), the
 * filter bit (encrypted FLV is refused), the tag type and `maxTagSize`. After an error (its own,
 * or one thrown by `onTag`) the reader is spent: every later call throws the same error.
 */
export class FlvReader {
  /** The file header, once its 9 bytes arrived (undefined when reading from `start`). */
  header: FlvHeader | undefined;

  private readonly options: ResolvedFlvParseOptions;
  private state: State;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private skipLeft = 0;
  private tagHeader: FlvTagHeader | undefined;
  /** File offset of the next byte to take out of the input. */
  private position: number;
  private complete: number;
  private failure: unknown;

  constructor(options: FlvReaderOptions = {}) {
    this.options = resolveFlvParseOptions(options);
    const start = options.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`start must be a non-negative integer, got ${String(start)}`);
    this.state = start === 0 ? 'header' : 'tagHeader';
    this.position = start;
    this.complete = start;
  }

  /**
   * Offset just past the last complete tag (back pointer included), or past PreviousTagSize0
   * before the first tag; 0 while the header is incomplete. The file up to here is valid FLV.
   */
  get validLength(): number {
    return this.complete;
  }

  /** Bytes held back because they do not yet make a whole unit (header, tag header or tag). */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /** Undefined when the input so far ends between two tags; else what is cut short. */
  get truncation(): FlvTruncation | undefined {
    if (this.state === 'tagHeader' && this.pendingLength === 0) return undefined;
    const inside = this.state === 'header' || this.state === 'skip' || this.state === 'firstBackPointer' ? 'header' : 'tag';
    return { validLength: this.complete, bytes: this.position + this.pendingLength - this.complete, inside };
  }

  /** Feeds bytes; `onTag` runs for each tag they complete. Format errors throw (see the class). */
  push(bytes: Uint8Array, onTag: FlvTagHandler): void {
    if (this.failure !== undefined) throw this.failure;
    const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    while (at < input.length) {
      if (this.state === 'skip') {
        const count = Math.min(this.skipLeft, input.length - at);
        at += count;
        this.position += count;
        this.skipLeft -= count;
        if (this.skipLeft === 0) this.state = 'firstBackPointer';
        continue;
      }
      const need = this.need();
      if (this.pendingLength + input.length - at < need) {
        // Copied: the caller may reuse its buffer once push returns.
        const rest = Buffer.from(input.subarray(at));
        this.pending.push(rest);
        this.pendingLength += rest.length;
        break;
      }
      let unit: Buffer;
      if (this.pendingLength === 0) {
        unit = input.subarray(at, at + need);
        at += need;
      } else {
        const take = need - this.pendingLength;
        unit = Buffer.concat([...this.pending, input.subarray(at, at + take)], need);
        at += take;
        this.pending = [];
        this.pendingLength = 0;
      }
      const tag = this.guard(() => this.take(unit));
      // A throwing handler loses the rest of this push, so it spends the reader too.
      if (tag !== undefined) this.guard(() => onTag(tag));
    }
  }

  /**
   * Says the input is over. Throws `TruncatedInputError` when it stopped inside the header or a
   * tag (see `truncation` to stop cleanly at the last complete tag instead).
   */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    const truncation = this.truncation;
    if (truncation === undefined) return;
    this.failure = new TruncatedInputError(
      `the FLV input ends inside ${truncation.inside === 'header' ? 'the file header' : 'a tag'}: ` +
        `${truncation.bytes} bytes after offset ${truncation.validLength}, the end of the last complete tag`,
    );
    throw this.failure;
  }

  private guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  private need(): number {
    switch (this.state) {
      case 'header':
        return FLV_HEADER_SIZE;
      case 'firstBackPointer':
        return FLV_BACK_POINTER_SIZE;
      case 'tagHeader':
        return FLV_TAG_HEADER_SIZE;
      default:
        return this.tagHeader!.dataSize + FLV_BACK_POINTER_SIZE;
    }
  }

  /** Consumes one whole unit; returns the tag it completes, if any. */
  private take(unit: Buffer): FlvTag | undefined {
    const offset = this.position;
    this.position += unit.length;
    switch (this.state) {
      case 'header': {
        this.header = parseFlvHeader(unit);
        this.skipLeft = this.header.dataOffset - FLV_HEADER_SIZE;
        this.state = this.skipLeft > 0 ? 'skip' : 'firstBackPointer';
        return undefined;
      }
      case 'firstBackPointer':
        checkBackPointer(unit.readUInt32BE(0), 0, offset, this.options.tolerateBadBackPointers);
        this.complete = this.position;
        this.state = 'tagHeader';
        return undefined;
      case 'tagHeader': {
        const header = readFlvTagHeader(new ByteReader(unit));
        checkFlvTagHeader(header, offset, this.options.maxTagSize);
        this.tagHeader = header;
        this.state = 'tagBody';
        return undefined;
      }
      default: {
        const header = this.tagHeader!;
        const tagOffset = offset - FLV_TAG_HEADER_SIZE;
        checkBackPointer(unit.readUInt32BE(header.dataSize), FLV_TAG_HEADER_SIZE + header.dataSize, offset + header.dataSize, this.options.tolerateBadBackPointers);
        this.complete = this.position;
        this.state = 'tagHeader';
        this.tagHeader = undefined;
        const payload = unit.subarray(0, header.dataSize);
        return { type: header.tagType, streamId: header.streamId, timestamp: header.timestamp, payload, offset: tagOffset };
      }
    }
  }
}
