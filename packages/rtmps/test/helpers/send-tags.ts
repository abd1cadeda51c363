import { setTimeout as sleep } from 'node:timers/promises';
import type { NetStream } from '@rtmpkit/core';
import { metadataOf, type FlvTag } from './flv-tags.js';

/**
 * Sends FLV tags on a NetStream that publishes (client) or plays (server): onMetaData first, then
 * the tags in file order, paced at `speed` times real time with the first `leadMs` sent at once.
 * Stops quietly when the stream's publish or play ends (even during a send); resolves with the number of tags sent.
 */
export async function sendFlvTags(stream: NetStream, tags: FlvTag[], options: { speed?: number; leadMs?: number } = {}): Promise<number> {
  const { speed = 1, leadMs = 500 } = options;
  let sent = 0;
  const metadataTag = tags.find((tag) => metadataOf(tag));
  if (metadataTag) {
    await stream.sendMetadata(metadataOf(metadataTag)!);
    sent++;
  }
  const start = Date.now();
  const first = tags.find((tag) => tag.type === 8 || tag.type === 9)?.timestamp ?? 0;
  for (const tag of tags) {
    if (tag === metadataTag) continue;
    const due = (tag.timestamp - first) / speed - leadMs - (Date.now() - start);
    if (due > 0) await sleep(due);
    if (stream.mode === 'idle') break;
    try {
      await stream.send(tag);
    } catch (error) {
      // The player or publisher left meanwhile: stop, as a live source does. Anything else is a failure.
      const gone = (stream.mode as string) === 'idle' || stream.session.state === 'closing' || stream.session.state === 'closed';
      if (gone) break;
      throw error;
    }
    sent++;
  }
  return sent;
}
