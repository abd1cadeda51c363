import { AvcPacketType, parseAudioTag, parseVideoTag, RtmpError } from '@rtmpkit/core';
import { FlvTagType } from './constants.js';

const END_OF_SEQUENCE = AvcPacketType.EndOfSequence; // = VideoPacketType.SequenceEnd

/** What the index needs to know about an audio or video body. */
export interface MediaKind {
  /** A video key frame (not a sequence header or end, not a command frame). */
  isKeyframe: boolean;
  /** AVC/AAC sequence header or Enhanced RTMP SequenceStart: decoder configuration. */
  isSequenceHeader: boolean;
}

/** Bytes of a body read to classify it: enough for every header but long ModEx or multitrack chains. */
export const MEDIA_PREFIX_BYTES = 64;

/**
 * Classifies an audio or video body from its first bytes (the headers decide, not the codec
 * data). Returns undefined when the bytes do not parse: the caller retries with the whole body,
 * or counts the tag as neither key frame nor sequence header.
 */
export function mediaKind(type: number, body: Buffer): MediaKind | undefined {
  try {
    if (type === FlvTagType.Video) {
      const tag = parseVideoTag(body);
      // AVC EndOfSequence and Enhanced RTMP SequenceEnd (both packet type 2) carry a key frame type but no frame.
      const isFrame = !tag.isSequenceHeader && tag.packetType !== END_OF_SEQUENCE;
      return { isKeyframe: tag.isKeyframe && isFrame, isSequenceHeader: tag.isSequenceHeader };
    }
    if (type === FlvTagType.Audio) {
      return { isKeyframe: false, isSequenceHeader: parseAudioTag(body).isSequenceHeader };
    }
    return undefined;
  } catch (error) {
    if (RtmpError.isInstance(error)) return undefined;
    throw error;
  }
}
