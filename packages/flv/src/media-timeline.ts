import { FlvTagType } from './constants.js';

interface Track {
  last: number;
  interval: number;
}

/**
 * Follows the timestamps of audio and video tags to tell where the media starts and ends. The
 * end of a track is its last timestamp plus its last frame interval (the gap between its last
 * two tags), the way FFmpeg computes an FLV duration; the media ends where the later track ends.
 */
export class MediaTimeline {
  private firstTimestamp: number | undefined;
  private readonly tracks = new Map<number, Track>();
  private floor: number;

  /** `seed` continues a file that already holds media from `first` to `end` (ms). */
  constructor(seed?: { first: number; end: number }) {
    this.firstTimestamp = seed?.first;
    this.floor = seed?.end ?? 0;
  }

  /** Counts one tag; only audio (8) and video (9) carry time. */
  add(type: number, timestamp: number): void {
    if (type !== FlvTagType.Audio && type !== FlvTagType.Video) return;
    if (this.firstTimestamp === undefined || timestamp < this.firstTimestamp) this.firstTimestamp = timestamp;
    const track = this.tracks.get(type);
    if (track === undefined) {
      this.tracks.set(type, { last: timestamp, interval: 0 });
    } else if (timestamp > track.last) {
      track.interval = timestamp - track.last;
      track.last = timestamp;
    }
  }

  /** True once an audio or video tag was counted (or the seed had media). */
  get hasMedia(): boolean {
    return this.firstTimestamp !== undefined;
  }

  /** Smallest media timestamp (ms), 0 without media. */
  get first(): number {
    return this.firstTimestamp ?? 0;
  }

  /** Largest media timestamp (ms), 0 without media. */
  get last(): number {
    let last = this.firstTimestamp ?? 0;
    for (const track of this.tracks.values()) last = Math.max(last, track.last);
    return last;
  }

  /** Where the media ends (ms): the latest track end, at least `last`. */
  get end(): number {
    let end = Math.max(this.floor, this.last);
    for (const track of this.tracks.values()) end = Math.max(end, track.last + track.interval);
    return end;
  }

  /** `end − first`, in seconds, as `onMetaData.duration` says it. */
  get duration(): number {
    return this.hasMedia ? (this.end - this.first) / 1000 : 0;
  }
}
