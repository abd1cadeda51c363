import { setTimeout as sleep } from 'node:timers/promises';
import type { AmfValue, NetStream } from '@rtmpkit/core';
import { metadataOf, type FlvTag } from './flv-file.js';

export interface ServeOptions {
  /** 1 = real time, 2 = twice as fast. Default 1. */
  speed?: number;
  /** How far ahead of real time the first tags go out (a player's buffer fills at once). Default 500 ms. */
  leadMs?: number;
  /**
   * After the last tag: `stream.close()` (server: StreamEOF + NetStream.Play.Stop; client:
   * FCUnpublish, closeStream, deleteStream). Default false (a live stream gone quiet).
   */
  closeAtEnd?: boolean;
  /** Added to every media timestamp (e.g. to go past 0xFFFFFF, where extended timestamps start). Default 0. */
  timestampOffset?: number;
  /** Changes the file's onMetaData before it is sent (e.g. `duration: 0`, as for a live stream). */
  metadata?: (metadata: Record<string, AmfValue>) => Record<string, AmfValue>;
}

export interface ServeResult {
  /** Tags sent, metadata included. */
  sent: number;
  /** True when every tag went out. */
  completed: boolean;
  error?: Error;
}

/**
 * Sends FLV tags on a NetStream that plays (server side) or publishes (client side):
 * `onMetaData` with `sendMetadata` first, then the tags in file order (sequence headers come
 * first in the files ffmpeg writes), paced against the wall clock. Stops quietly when the
 * stream's publish or play ends.
 */
export async function sendFlvTags(stream: NetStream, tags: FlvTag[], options: ServeOptions = {}): Promise<ServeResult> {
  const { speed = 1, leadMs = 500, closeAtEnd = false, timestampOffset = 0 } = options;
  let gone = false;
  void stream.closed.then(() => (gone = true));
  const playing = (): boolean => !gone && stream.mode !== 'idle';
  let sent = 0;
  try {
    const metadataTag = tags.find((tag) => metadataOf(tag));
    if (metadataTag) {
      const metadata = metadataOf(metadataTag)!;
      await stream.sendMetadata(options.metadata ? options.metadata({ ...metadata }) : metadata);
      sent++;
    }
    const start = Date.now();
    const first = tags.find((tag) => tag.type === 8 || tag.type === 9)?.timestamp ?? 0;
    for (const tag of tags) {
      if (tag === metadataTag) continue;
      const due = (tag.timestamp - first) / speed - leadMs - (Date.now() - start);
      if (due > 0) await sleep(due);
      if (!playing()) return { sent, completed: false };
      await stream.send(timestampOffset === 0 ? tag : { ...tag, timestamp: tag.timestamp + timestampOffset });
      sent++;
    }
    if (closeAtEnd && playing()) await stream.close();
    return { sent, completed: true };
  } catch (error) {
    return { sent, completed: false, error: error as Error };
  }
}
