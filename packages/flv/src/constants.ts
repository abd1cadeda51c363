/** Bytes in the FLV file header (`"FLV"`, version, flags, DataOffset), before PreviousTagSize0. */
export const FLV_HEADER_SIZE = 9;

/** The DataOffset every FLV 1 writer uses: the body starts right after the 9-byte header. */
export const FLV_DEFAULT_DATA_OFFSET = 9;

/** Largest tag body an FLV tag header can describe (DataSize is a UI24): 16 MiB − 1. */
export const FLV_MAX_TAG_SIZE = 0xffffff;

/** The default `maxTagSize`: every size a UI24 can say. Lower it to bound memory per tag. */
export const DEFAULT_MAX_TAG_SIZE = FLV_MAX_TAG_SIZE;

/** FLV TagType values, which equal the RTMP message types of the same media. */
export const FlvTagType = {
  Audio: 8,
  Video: 9,
  /** Enhanced RTMP: AMF3 script data (a format byte, then AMF0 values that may switch to AMF3). */
  ScriptDataAmf3: 15,
  /** AMF0 script data, e.g. `onMetaData`. */
  ScriptData: 18,
} as const;
/** One of the `FlvTagType` values. */
export type FlvTagType = (typeof FlvTagType)[keyof typeof FlvTagType];

const tagTypes = new Set<number>(Object.values(FlvTagType));

/** True for the tag types an FLV file may hold: 8, 9, 15 and 18. */
export function isFlvTagType(type: number): type is FlvTagType {
  return tagTypes.has(type);
}

/** True for audio (8) and video (9): the tags that carry time. */
export function isMediaTagType(type: number): boolean {
  return type === FlvTagType.Audio || type === FlvTagType.Video;
}
