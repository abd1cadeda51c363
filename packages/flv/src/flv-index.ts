import type { AmfObject } from '@rtmpkit/core';
import { FlvTagType } from './constants.js';
import type { FlvHeader } from './flv-header.js';
import type { FlvTag } from './flv-tag.js';
import type { FlvTruncation } from './reader-options.js';

/** A place playback can start from: a video key frame. */
export interface FlvKeyframe {
  /** The key frame's timestamp, in ms. */
  timestamp: number;
  /** Byte offset of its tag header: read tags from here (`readFlvFile(path, { start: offset })`). */
  offset: number;
}

/** What `indexFlvFile` found; see the getters of `FlvIndex`. */
export interface FlvIndexInit {
  header: FlvHeader;
  fileSize: number;
  validLength: number;
  truncation: FlvTruncation | undefined;
  tagCount: number;
  hasAudio: boolean;
  hasVideo: boolean;
  firstTimestamp: number;
  lastTimestamp: number;
  endTimestamp: number;
  metadata: AmfObject | undefined;
  metadataTag: FlvTag | undefined;
  sequenceHeaders: FlvTag[];
  keyframes: FlvKeyframe[];
}

/**
 * The index of an FLV file for video on demand: duration, metadata, sequence headers and a key
 * frame index. `seek(ms)` finds where to start reading; `sequenceHeadersBefore(offset)` gives the
 * decoder configuration to send first.
 */
export class FlvIndex {
  /** The file header. */
  readonly header: FlvHeader;
  /** Size of the file when it was indexed, in bytes. */
  readonly fileSize: number;
  /** Bytes up to the end of the last complete tag: the file is valid FLV up to here. */
  readonly validLength: number;
  /** Where the file was cut, when it ends inside a tag (indexed with `truncated: 'stop'`). */
  readonly truncation: FlvTruncation | undefined;
  /** Complete tags in the file. */
  readonly tagCount: number;
  /** An audio tag was found (whatever the header flags say). */
  readonly hasAudio: boolean;
  /** A video tag was found (whatever the header flags say). */
  readonly hasVideo: boolean;
  /** Smallest audio/video timestamp, in ms (0 without media). */
  readonly firstTimestamp: number;
  /** Largest audio/video timestamp, in ms. */
  readonly lastTimestamp: number;
  /** Where the media ends, in ms: the last timestamp plus the last frame interval of the later track. */
  readonly endTimestamp: number;
  /** The first `onMetaData` object, decoded; undefined when the file has none (or it does not decode). */
  readonly metadata: AmfObject | undefined;
  /** The tag that held `metadata` (its offset is where a duration can be patched). */
  readonly metadataTag: FlvTag | undefined;
  /** Every sequence header (AVC/AAC, Enhanced RTMP SequenceStart), in file order; payloads are copies. */
  readonly sequenceHeaders: readonly FlvTag[];
  /** Video key frames in file order (one per timestamp: the first tag of several at the same time). */
  readonly keyframes: readonly FlvKeyframe[];
  private readonly sorted: boolean;

  constructor(init: FlvIndexInit) {
    this.header = init.header;
    this.fileSize = init.fileSize;
    this.validLength = init.validLength;
    this.truncation = init.truncation;
    this.tagCount = init.tagCount;
    this.hasAudio = init.hasAudio;
    this.hasVideo = init.hasVideo;
    this.firstTimestamp = init.firstTimestamp;
    this.lastTimestamp = init.lastTimestamp;
    this.endTimestamp = init.endTimestamp;
    this.metadata = init.metadata;
    this.metadataTag = init.metadataTag;
    this.sequenceHeaders = init.sequenceHeaders;
    this.keyframes = init.keyframes;
    this.sorted = init.keyframes.every((frame, i) => i === 0 || frame.timestamp >= init.keyframes[i - 1]!.timestamp);
  }

  /** The media duration in seconds (`(endTimestamp − firstTimestamp) / 1000`), measured from the tags. */
  get duration(): number {
    return this.tagCount === 0 ? 0 : (this.endTimestamp - this.firstTimestamp) / 1000;
  }

  /** The first video sequence header, if any. */
  get videoSequenceHeader(): FlvTag | undefined {
    return this.sequenceHeaders.find((tag) => tag.type === FlvTagType.Video);
  }

  /** The first audio sequence header, if any. */
  get audioSequenceHeader(): FlvTag | undefined {
    return this.sequenceHeaders.find((tag) => tag.type === FlvTagType.Audio);
  }

  /**
   * The key frame at or before `ms` (the latest one); for a time before the first key frame, the
   * first key frame. Undefined when the file has no key frames (no video).
   */
  seek(ms: number): FlvKeyframe | undefined {
    const frames = this.keyframes;
    if (frames.length === 0) return undefined;
    if (!this.sorted) {
      let best: FlvKeyframe | undefined;
      for (const frame of frames) if (frame.timestamp <= ms && (best === undefined || frame.timestamp >= best.timestamp)) best = frame;
      return best ?? frames[0];
    }
    let low = 0;
    let high = frames.length - 1;
    if (frames[0]!.timestamp > ms) return frames[0];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (frames[middle]!.timestamp <= ms) low = middle;
      else high = middle - 1;
    }
    return frames[low];
  }

  /**
   * The sequence headers in force at `offset`: the last video one and the last audio one that
   * start before it. Send them before tags read from `offset`.
   */
  sequenceHeadersBefore(offset: number): FlvTag[] {
    let video: FlvTag | undefined;
    let audio: FlvTag | undefined;
    for (const tag of this.sequenceHeaders) {
      if (tag.offset >= offset) break;
      if (tag.type === FlvTagType.Video) video = tag;
      else audio = tag;
    }
    return [video, audio].filter((tag): tag is FlvTag => tag !== undefined);
  }
}
