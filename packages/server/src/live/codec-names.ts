/** Names of the codecs a live stream may carry, as the stats surface reports them. */

const LEGACY_VIDEO: Record<number, string> = { 2: 'h263', 3: 'screen', 4: 'vp6', 5: 'vp6a', 6: 'screen2', 7: 'h264', 12: 'hevc' };
const LEGACY_AUDIO: Record<number, string> = {
  0: 'pcm', 1: 'adpcm', 2: 'mp3', 3: 'pcm_le', 4: 'nellymoser', 5: 'nellymoser', 6: 'nellymoser',
  7: 'g711a', 8: 'g711u', 10: 'aac', 11: 'speex', 14: 'mp3',
};
const FOURCC: Record<string, string> = {
  avc1: 'h264', hvc1: 'hevc', vvc1: 'vvc', av01: 'av1', vp09: 'vp9', vp08: 'vp8',
  mp4a: 'aac', Opus: 'opus', fLaC: 'flac', 'ac-3': 'ac3', 'ec-3': 'eac3', '.mp3': 'mp3',
};

/** `h264` for legacy CodecID 7 or FourCC `avc1`, …; the id or FourCC itself when unknown. */
export function videoCodecName(codec: number | string): string {
  if (typeof codec === 'string') return FOURCC[codec] ?? codec;
  return LEGACY_VIDEO[codec] ?? `video-${codec}`;
}

/** `aac` for SoundFormat 10 or FourCC `mp4a`, …; the format or FourCC itself when unknown. */
export function audioCodecName(codec: number | string): string {
  if (typeof codec === 'string') return FOURCC[codec] ?? codec;
  return LEGACY_AUDIO[codec] ?? `audio-${codec}`;
}

/** Legacy SoundRate index → Hz. */
export const LEGACY_SOUND_RATES = [5512, 11025, 22050, 44100] as const;

/** Sampling frequencies of an AAC AudioSpecificConfig (ISO 14496-3 §1.6.3.4). */
const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/**
 * Sample rate and channels from the first bytes of an AAC AudioSpecificConfig (object type 5
 * bits, frequency index 4 bits, channel configuration 4 bits). Undefined when it is too short or
 * uses an explicit frequency.
 */
export function aacConfigFacts(config: Buffer): { sampleRate: number; channels: number } | undefined {
  if (config.length < 2) return undefined;
  const bits = (config[0]! << 8) | config[1]!;
  const objectType = bits >> 11;
  if (objectType === 31) return undefined; // escape to a 6-bit extension: not worth it here
  const rateIndex = (bits >> 7) & 0x0f;
  const channels = (bits >> 3) & 0x0f;
  const sampleRate = AAC_RATES[rateIndex];
  if (sampleRate === undefined) return undefined;
  return { sampleRate, channels };
}
