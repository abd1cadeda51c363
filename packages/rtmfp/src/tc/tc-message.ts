import { RtmpProtocolError, type RtmpMessage } from '@rtmpkit/core';

/** Bytes before a TC message's payload: type (8) and timestamp (32). */
export const TC_MESSAGE_HEADER = 5;

/**
 * One RTMP message as a TC message (RFC 7425 §5.1.2): `type | timestamp (32, ms) | payload`.
 * The stream id travels in the flow's metadata, the length in RTMFP's message framing.
 */
export function encodeTcMessage(message: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>): Buffer {
  const bytes = Buffer.allocUnsafe(TC_MESSAGE_HEADER + message.payload.length);
  bytes[0] = message.type;
  bytes.writeUInt32BE(message.timestamp >>> 0, 1);
  message.payload.copy(bytes, TC_MESSAGE_HEADER);
  return bytes;
}

/** Reads a TC message on a flow of `streamId`; the payload is a view. Shorter than 5 bytes: `RtmpProtocolError`. */
export function decodeTcMessage(bytes: Buffer, streamId: number): RtmpMessage {
  if (bytes.length < TC_MESSAGE_HEADER) throw new RtmpProtocolError(`a TC message of ${bytes.length} bytes has no room for its header`);
  return { type: bytes[0]!, streamId, timestamp: bytes.readUInt32BE(1), payload: bytes.subarray(TC_MESSAGE_HEADER) };
}
