import { open } from 'node:fs/promises';
import { ByteReader, FLV_BACK_POINTER_SIZE, FLV_TAG_HEADER_SIZE, LimitExceededError, readFlvTagHeader, TruncatedInputError, type AmfObject, type FlvTagHeader } from '@rtmpkit/core';
import { FLV_HEADER_SIZE, FlvTagType, isMediaTagType } from './constants.js';
import { FileWindow } from './file-window.js';
import { parseFlvHeader } from './flv-header.js';
import { FlvIndex, type FlvKeyframe } from './flv-index.js';
import { checkBackPointer, checkFlvTagHeader, type FlvTag } from './flv-tag.js';
import { MEDIA_PREFIX_BYTES, mediaKind } from './media-kind.js';
import { MediaTimeline } from './media-timeline.js';
import { decodeOnMetaData } from './metadata.js';
import { resolveFlvParseOptions, type FlvParseOptions, type FlvTruncation, type TruncatedFileMode } from './reader-options.js';

/** Options for `indexFlvFile`. */
export interface IndexFlvFileOptions extends FlvParseOptions {
  /**
   * When the file ends inside a tag: `'error'` (default) throws `TruncatedInputError`; `'stop'`
   * indexes up to the last complete tag and reports the cut in `FlvIndex.truncation`. A file
   * shorter than the 9-byte header throws either way.
   */
  truncated?: TruncatedFileMode;
  /** Most sequence headers kept (each is copied into memory). Default 1024; more throw `LimitExceededError`. */
  maxSequenceHeaders?: number;
}

/** A tag whose back pointer has not been checked yet. */
interface PendingTag {
  header: FlvTagHeader;
  offset: number;
}

/**
 * Indexes an FLV file for video on demand by scanning its tags: it reads the tag headers and only
 * the first bytes of audio and video bodies (whole bodies only for sequence headers and script
 * data) and skips the rest, so a file of any size costs little memory. Works without `keyframes`
 * metadata. Back pointers, tag types, the filter bit and `maxTagSize` are checked as by
 * `FlvReader`.
 *
 * ```ts
 * const index = await indexFlvFile('movie.flv');
 * const start = index.seek(60_000); // the key frame at or before 1 min
 * ```
 */
export async function indexFlvFile(path: string, options: IndexFlvFileOptions = {}): Promise<FlvIndex> {
  const parse = resolveFlvParseOptions(options);
  const maxSequenceHeaders = options.maxSequenceHeaders ?? 1024;
  const handle = await open(path, 'r');
  try {
    const file = new FileWindow(handle, (await handle.stat()).size);
    const headerBytes = await file.read(0, FLV_HEADER_SIZE);
    if (headerBytes.length < FLV_HEADER_SIZE) {
      // Nothing to index without a header, whatever `truncated` says.
      throw truncatedError({ validLength: 0, bytes: headerBytes.length, inside: 'header' });
    }
    const header = parseFlvHeader(headerBytes);
    const timeline = new MediaTimeline();
    const sequenceHeaders: FlvTag[] = [];
    const keyframes: FlvKeyframe[] = [];
    let metadata: AmfObject | undefined;
    let metadataTag: FlvTag | undefined;
    let tagCount = 0;
    let hasAudio = false;
    let hasVideo = false;
    let truncation: FlvTruncation | undefined;
    let validLength = 0;
    let pending: PendingTag | undefined;
    let pendingKind: { isKeyframe: boolean; body: Buffer | undefined } | undefined;

    /** Adds a tag whose back pointer checked out. */
    const commit = (tag: PendingTag, kind: { isKeyframe: boolean; body: Buffer | undefined }): void => {
      tagCount++;
      const { tagType: type, timestamp } = tag.header;
      timeline.add(type, timestamp);
      if (type === FlvTagType.Audio) hasAudio = true;
      if (type === FlvTagType.Video) hasVideo = true;
      if (kind.isKeyframe && keyframes.at(-1)?.timestamp !== timestamp) keyframes.push({ timestamp, offset: tag.offset });
      if (kind.body === undefined) return;
      const stored: FlvTag = { type, streamId: tag.header.streamId, timestamp, payload: Buffer.from(kind.body), offset: tag.offset };
      if (isMediaTagType(type)) {
        if (sequenceHeaders.length >= maxSequenceHeaders) {
          throw new LimitExceededError('maxSequenceHeaders', maxSequenceHeaders, `FLV file has more sequence headers than kept`);
        }
        sequenceHeaders.push(stored);
      } else if (metadata === undefined) {
        metadata = decodeOnMetaData(stored);
        if (metadata !== undefined) metadataTag = stored;
      }
    };

    let position = header.dataOffset; // where the next back pointer sits
    for (;;) {
      const bytes = await file.read(position, FLV_BACK_POINTER_SIZE + FLV_TAG_HEADER_SIZE);
      if (bytes.length < FLV_BACK_POINTER_SIZE) {
        truncation = pending === undefined
          ? { validLength: 0, bytes: position + bytes.length, inside: 'header' }
          : { validLength, bytes: position + bytes.length - validLength, inside: 'tag' };
        break;
      }
      const expected = pending === undefined ? 0 : FLV_TAG_HEADER_SIZE + pending.header.dataSize;
      checkBackPointer(bytes.readUInt32BE(0), expected, position, parse.tolerateBadBackPointers);
      if (pending !== undefined) commit(pending, pendingKind!);
      pending = undefined;
      validLength = position + FLV_BACK_POINTER_SIZE;
      if (bytes.length === FLV_BACK_POINTER_SIZE) break; // the file ends after a whole tag
      if (bytes.length < FLV_BACK_POINTER_SIZE + FLV_TAG_HEADER_SIZE) {
        truncation = { validLength, bytes: bytes.length - FLV_BACK_POINTER_SIZE, inside: 'tag' };
        break;
      }
      const offset = validLength;
      const tagHeader = readFlvTagHeader(new ByteReader(bytes, FLV_BACK_POINTER_SIZE));
      checkFlvTagHeader(tagHeader, offset, parse.maxTagSize);
      const bodyStart = offset + FLV_TAG_HEADER_SIZE;
      if (bodyStart + tagHeader.dataSize > file.size) {
        truncation = { validLength, bytes: file.size - validLength, inside: 'tag' };
        break;
      }
      pending = { header: tagHeader, offset };
      pendingKind = await inspect(file, tagHeader, bodyStart);
      position = bodyStart + tagHeader.dataSize;
    }

    if (truncation !== undefined && options.truncated !== 'stop') throw truncatedError(truncation);
    return new FlvIndex({
      header,
      fileSize: file.size,
      validLength,
      truncation,
      tagCount,
      hasAudio,
      hasVideo,
      firstTimestamp: timeline.first,
      lastTimestamp: timeline.last,
      endTimestamp: timeline.end,
      metadata,
      metadataTag,
      sequenceHeaders,
      keyframes,
    });
  } finally {
    await handle.close();
  }
}

/**
 * Reads what the index needs of a tag body: the first bytes of audio and video (the whole body
 * of a sequence header, kept), the whole body of script data; `body` is what to keep.
 */
async function inspect(file: FileWindow, header: FlvTagHeader, bodyStart: number): Promise<{ isKeyframe: boolean; body: Buffer | undefined }> {
  const size = header.dataSize;
  if (!isMediaTagType(header.tagType)) return { isKeyframe: false, body: await file.read(bodyStart, size) };
  let body = await file.read(bodyStart, Math.min(size, MEDIA_PREFIX_BYTES));
  let kind = mediaKind(header.tagType, body);
  if (kind === undefined && body.length < size) {
    // A long ModEx or multitrack header: parse the whole body.
    body = await file.read(bodyStart, size);
    kind = mediaKind(header.tagType, body);
  }
  if (kind === undefined) return { isKeyframe: false, body: undefined }; // a body that does not parse is plain media
  if (!kind.isSequenceHeader) return { isKeyframe: kind.isKeyframe, body: undefined };
  return { isKeyframe: false, body: body.length < size ? await file.read(bodyStart, size) : body };
}

function truncatedError(truncation: FlvTruncation): TruncatedInputError {
  return new TruncatedInputError(
    `the FLV file ends inside ${truncation.inside === 'header' ? 'its header' : 'a tag'}: ` +
      `${truncation.bytes} bytes after offset ${truncation.validLength}, the end of the last complete tag ` +
      `(index with truncated: 'stop' to use the file up to there)`,
  );
}

