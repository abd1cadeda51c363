import { MessageType } from './codec.js';

/** Protocol control and User Control messages (spec §5.4). */
export const CONTROL_CHUNK_STREAM = 2;
/** Commands on the NetConnection (message stream 0). */
export const CONNECTION_CHUNK_STREAM = 3;
/** The first chunk stream id handed to NetStreams. */
const FIRST_STREAM_CHUNK_STREAM = 4;

/**
 * Picks the chunk stream a message of `type` on message stream `streamId` goes out on. Each
 * stream gets three: commands and data, audio, video (and aggregates). Ids stay at or below
 * `maxChunkStreamId` (31 by default, as nginx-rtmp requires); past it, streams share chunk
 * streams, which costs a full header when the message stream changes and nothing else.
 */
export function chunkStreamFor(type: number, streamId: number, maxChunkStreamId: number): number {
  if (streamId === 0) {
    return type >= MessageType.SetChunkSize && type <= MessageType.SetPeerBandwidth ? CONTROL_CHUNK_STREAM : CONNECTION_CHUNK_STREAM;
  }
  const groups = Math.floor((maxChunkStreamId - FIRST_STREAM_CHUNK_STREAM + 1) / 3);
  const base = FIRST_STREAM_CHUNK_STREAM + ((streamId - 1) % groups) * 3;
  if (type === MessageType.Audio) return base + 1;
  if (type === MessageType.Video || type === MessageType.Aggregate) return base + 2;
  return base;
}
