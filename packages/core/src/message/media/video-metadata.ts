import type { AmfValue } from '../../amf/amf-value.js';
import { createAmf0EncodeContext, writeAmf0 } from '../../amf/amf0/index.js';
import { ByteReader, ByteWriter } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { readAmfMessageValues, type AmfMessageDecodeOptions } from '../command/amf-payload.js';

/** One `[name, value]` pair of an Enhanced RTMP video Metadata packet, e.g. `colorInfo` + HDR object. */
export interface VideoMetadataEntry {
  name: string;
  value: AmfValue;
}

/** The metadata name Enhanced RTMP defines: HDR colour information (`undefined` or `{}` resets it). */
export const COLOR_INFO = 'colorInfo';

/**
 * Reads the body of a video Metadata packet (`parseVideoTag(...).body` when `packetType` is
 * Metadata): AMF0 values taken two by two as name and value. An odd count or a non-string name
 * throws `RtmpProtocolError`.
 */
export function decodeVideoMetadata(body: Uint8Array, options?: AmfMessageDecodeOptions): VideoMetadataEntry[] {
  const values = readAmfMessageValues(new ByteReader(body), options, 'video metadata');
  if (values.length % 2 !== 0) throw new RtmpProtocolError(`video metadata holds ${values.length} AMF values; it must be name/value pairs`);
  const entries: VideoMetadataEntry[] = [];
  for (let index = 0; index < values.length; index += 2) {
    const name = values[index];
    if (typeof name !== 'string') throw new RtmpProtocolError(`video metadata name ${index / 2} is not a string`);
    entries.push({ name, value: values[index + 1] });
  }
  return entries;
}

/** Writes metadata pairs as AMF0 values, for the body of a video Metadata packet. */
export function encodeVideoMetadata(entries: readonly VideoMetadataEntry[]): Buffer {
  const writer = new ByteWriter();
  const context = createAmf0EncodeContext();
  for (const entry of entries) {
    writeAmf0(writer, entry.name, context);
    writeAmf0(writer, entry.value, context);
  }
  return writer.finish();
}
