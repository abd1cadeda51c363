/**
 * FourCC codes: four ASCII characters sent as a big-endian UI32 (Enhanced RTMP). Case matters:
 * "Opus" and "fLaC" are mixed case and ".mp3" starts with a dot.
 */

/** Video FourCCs defined by Enhanced RTMP (v1: av01, vp09, hvc1; v2 adds the rest). */
export const VideoFourCc = {
  Avc: 'avc1',
  Hevc: 'hvc1',
  Vvc: 'vvc1',
  Av1: 'av01',
  Vp9: 'vp09',
  Vp8: 'vp08',
} as const;
/** One of the `VideoFourCc` strings. */
export type VideoFourCc = (typeof VideoFourCc)[keyof typeof VideoFourCc];

/** Audio FourCCs defined by Enhanced RTMP v2. */
export const AudioFourCc = {
  Aac: 'mp4a',
  Opus: 'Opus',
  Flac: 'fLaC',
  Ac3: 'ac-3',
  Eac3: 'ec-3',
  Mp3: '.mp3',
} as const;
/** One of the `AudioFourCc` strings. */
export type AudioFourCc = (typeof AudioFourCc)[keyof typeof AudioFourCc];

/** The UI32 value of a four-character code, e.g. `fourCcToNumber('av01') === 0x61763031`. */
export function fourCcToNumber(fourCc: string): number {
  if (fourCc.length !== 4 || !/^[\x00-\xff]{4}$/.test(fourCc)) {
    throw new RangeError(`a FourCC is exactly 4 single-byte characters, got ${JSON.stringify(fourCc)}`);
  }
  return ((fourCc.charCodeAt(0) << 24) | (fourCc.charCodeAt(1) << 16) | (fourCc.charCodeAt(2) << 8) | fourCc.charCodeAt(3)) >>> 0;
}

/** The four characters of a UI32 FourCC (each byte as one Latin-1 character). */
export function fourCcFromNumber(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`a FourCC number is an unsigned 32-bit integer, got ${String(value)}`);
  }
  return String.fromCharCode((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** Video codecs whose CodedFrames carry an SI24 composition time before the NAL units. */
const codecsWithCompositionTime = new Set<string>([VideoFourCc.Avc, VideoFourCc.Hevc, VideoFourCc.Vvc]);

/** True when Enhanced RTMP CodedFrames of this video codec start with an SI24 composition time. */
export function videoCodecHasCompositionTime(fourCc: string): boolean {
  return codecsWithCompositionTime.has(fourCc);
}
