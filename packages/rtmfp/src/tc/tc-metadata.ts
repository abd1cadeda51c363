import { ByteReader } from '@rtmpkit/core';
import { encodeVlu, readVlu } from '../codec/vlu.js';

/** How the receiver should deliver a TC flow's messages (RFC 7425 §5.1.1): in sequence, or as they arrive. */
export type ReceiveIntent = 'sequence' | 'network';

/** A TC flow's per-flow metadata: `'T' 'C' | options | stream id VLU`. */
export interface TcMetadata {
  /** 0 for the NetConnection's control flow, else the NetStream's id. */
  readonly streamId: number;
  readonly receiveIntent: ReceiveIntent;
}

const TC = 0x5443;
const SID_PRESENT = 0x04;

/** `54 43 04 <stream id>` (or `05` for network order). The control flow's is `54 43 04 00`. */
export function encodeTcMetadata(metadata: TcMetadata): Buffer {
  const flags = SID_PRESENT | (metadata.receiveIntent === 'network' ? 1 : 0);
  return Buffer.concat([Buffer.of(0x54, 0x43, flags), encodeVlu(metadata.streamId)]);
}

/** Reads TC metadata; undefined for anything else (a NetGroup `GC` flow, garbage, no stream id). */
export function decodeTcMetadata(bytes: Uint8Array): TcMetadata | undefined {
  if (bytes.length < 4 || ((bytes[0]! << 8) | bytes[1]!) !== TC) return undefined;
  const flags = bytes[2]!;
  if ((flags & SID_PRESENT) === 0) return undefined;
  try {
    const reader = new ByteReader(bytes, 3);
    const streamId = readVlu(reader);
    if (streamId > 0xffffffff) return undefined;
    return { streamId, receiveIntent: flags & 1 ? 'network' : 'sequence' };
  } catch {
    return undefined;
  }
}
