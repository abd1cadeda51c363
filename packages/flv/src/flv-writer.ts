import { FLV_BACK_POINTER_SIZE, MessageType, splitAggregate, type RtmpMessage } from '@rtmpkit/core';
import { isMediaTagType } from './constants.js';
import { toFileData } from './file-data.js';
import { encodeFlvHeader } from './flv-header.js';
import { encodeFlvTag } from './flv-tag.js';

/** Options for `FlvWriter`. */
export interface FlvWriterOptions {
  /** The header's audio flag. Default true. */
  hasAudio?: boolean;
  /** The header's video flag. Default true. */
  hasVideo?: boolean;
  /**
   * Move timestamps so the first audio or video message is at 0 (plus `timestampOffset`). Data
   * before it, and anything older than it, lands at 0. Default false: timestamps are kept.
   */
  rebaseTimestamps?: boolean;
  /** Added to every timestamp (after rebasing), e.g. to continue after an existing file's end. Default 0. */
  timestampOffset?: number;
}

/**
 * Turns `RtmpMessage`s into FLV bytes: `header()` once, then `write(message)` for each message.
 * Audio (8) and video (9) become tags as they are; data (18, 15) loses its `@setDataFrame`
 * wrapper so the file holds `onMetaData` (`@clearDataFrame` is dropped); an aggregate (22) is
 * split into its messages. Message types a file cannot hold (commands, control) give nothing.
 * Tags carry stream id 0, the 32-bit timestamp (with its extension byte) and a correct back pointer.
 */
export class FlvWriter {
  private readonly hasAudio: boolean;
  private readonly hasVideo: boolean;
  private readonly rebase: boolean;
  private readonly offset: number;
  private base: number | undefined;

  constructor(options: FlvWriterOptions = {}) {
    this.hasAudio = options.hasAudio ?? true;
    this.hasVideo = options.hasVideo ?? true;
    this.rebase = options.rebaseTimestamps === true;
    this.offset = options.timestampOffset ?? 0;
    if (!Number.isInteger(this.offset) || this.offset < 0 || this.offset > 0xffffffff) {
      throw new RangeError(`timestampOffset must be an unsigned 32-bit integer, got ${String(options.timestampOffset)}`);
    }
  }

  /** The FLV header with this writer's flags, followed by PreviousTagSize0: the first 13 bytes of a file. */
  header(): Buffer {
    return Buffer.concat([encodeFlvHeader({ hasAudio: this.hasAudio, hasVideo: this.hasVideo }), Buffer.alloc(FLV_BACK_POINTER_SIZE)]);
  }

  /**
   * The messages `message` becomes in the file, with file timestamps (none, one, or several for
   * an aggregate). Payloads are views of the message's payload where nothing had to change.
   */
  tags(message: RtmpMessage): RtmpMessage[] {
    if (message.type === MessageType.Aggregate) return splitAggregate(message).flatMap((inner) => this.tags(inner));
    let stored: RtmpMessage | undefined;
    if (isMediaTagType(message.type)) stored = message;
    else if (message.type === MessageType.DataAmf0 || message.type === MessageType.DataAmf3) stored = toFileData(message);
    if (stored === undefined) return [];
    return [{ type: stored.type, streamId: 0, timestamp: this.fileTimestamp(stored), payload: stored.payload }];
  }

  /** The FLV tags (each with its back pointer) for `message`; empty when the file keeps nothing of it. */
  write(message: RtmpMessage): Buffer {
    const tags = this.tags(message);
    if (tags.length === 1) return encodeFlvTag(tags[0]!);
    return Buffer.concat(tags.map((tag) => encodeFlvTag(tag)));
  }

  private fileTimestamp(message: RtmpMessage): number {
    let timestamp = message.timestamp;
    if (this.rebase) {
      if (this.base === undefined && isMediaTagType(message.type)) this.base = timestamp;
      timestamp = this.base === undefined || timestamp < this.base ? 0 : timestamp - this.base;
    }
    return (timestamp + this.offset) >>> 0;
  }
}
