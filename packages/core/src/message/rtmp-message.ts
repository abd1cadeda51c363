/**
 * One RTMP message as the chunk layer carries it. `payload` is usually a view into the bytes
 * that arrived (no copy); keep it only as long as you need it, or copy it.
 */
export interface RtmpMessage {
  /** Message type id (1..22), see `MessageType`. */
  type: number;
  /** Message stream id (0 for the NetConnection and for protocol control). */
  streamId: number;
  /** Absolute timestamp in milliseconds, 32-bit, wrapping. */
  timestamp: number;
  payload: Buffer;
}
