import type { FlvIndex } from '@rtmpkit/flv';

/** Where a stretch of a VOD play starts reading, and what it sends before the tags. */
export interface VodCursor {
  /** Byte offset to read tags from: 0 is the file start (header included), else a tag's offset. */
  offset: number;
  /** The stretch's first timestamp: the metadata and sequence headers sent first carry it. */
  timestamp: number;
  /** Media and data tags stamped at or before this are skipped (sequence headers never are). */
  skipThrough?: number;
  /** Send the sequence headers in force at `offset` first (reading from a key frame mid-file). */
  headers: boolean;
  /** Send `onMetaData` first (the start of a play). */
  metadata: boolean;
}

/**
 * Start or seek to `position` (ms): from the key frame at or before it, with the sequence
 * headers in force there; from the file start when that is the first key frame (or the file has
 * no video: then tags before `position` are skipped instead).
 */
export function cursorAt(index: FlvIndex, position: number, metadata: boolean): VodCursor {
  const key = index.seek(position);
  if (key === undefined) {
    const skip = position > index.firstTimestamp ? { skipThrough: position - 1 } : {};
    return { offset: 0, timestamp: Math.min(position, index.firstTimestamp), headers: false, metadata, ...skip };
  }
  if (key === index.keyframes[0]) return { offset: 0, timestamp: Math.min(key.timestamp, index.firstTimestamp), headers: false, metadata };
  return { offset: key.offset, timestamp: key.timestamp, headers: true, metadata };
}

/**
 * Unpause at `position` (ms): only tags stamped after it, read from the key frame before it (the
 * player's decoder went on to `position`, so what follows decodes without a new key frame).
 */
export function cursorAfter(index: FlvIndex, position: number): VodCursor {
  const key = index.seek(position);
  const offset = key === undefined || key === index.keyframes[0] ? 0 : key.offset;
  return { offset, timestamp: position, skipThrough: position, headers: false, metadata: false };
}

/** Bitrate switch: the first key frame at or after `position` (ms) in the other file, or undefined. */
export function switchCursor(index: FlvIndex, position: number): VodCursor | undefined {
  const key = index.keyframes.find((frame) => frame.timestamp >= position);
  return key && { offset: key.offset, timestamp: key.timestamp, headers: true, metadata: false };
}
