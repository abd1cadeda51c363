import type { RtmpMessage } from '@rtmpkit/core';
import { classifyMessage } from '../live/media-classifier.js';

/**
 * Holds a remote play's media back until its first video key frame (servers such as nginx-rtmp
 * send no cached GOP, so a play starts mid-GOP), so players here start on a key frame, with audio
 * that does not run ahead of the video. Metadata and sequence headers always pass; a stream
 * without video (no video header, no `videocodecid`) passes at once.
 */
export class KeyframeGate {
  private open = false;
  private videoExpected = false;

  /** True when `message` may go on. */
  admit(message: RtmpMessage): boolean {
    if (this.open) return true;
    const { frame, data } = classifyMessage(message);
    if (data?.kind === 'metadata' && data.metadata?.videocodecid !== undefined) this.videoExpected = true;
    if (frame.header) {
      if (frame.type === 9) this.videoExpected = true;
      return true;
    }
    if (frame.type !== 8 && frame.type !== 9) return true;
    if (frame.keyframe || !this.videoExpected) this.open = true;
    return this.open;
  }
}
