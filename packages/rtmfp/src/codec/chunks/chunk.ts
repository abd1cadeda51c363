import type { RawChunk } from '../chunk-frame.js';
import { decodeAckBitmap, decodeAckRanges, encodeAckBitmap, encodeAckRanges, type AckBitmapChunk, type AckRangesChunk } from './ack.js';
import { ChunkType } from './chunk-type.js';
import {
  decodeBufferProbe,
  decodeFlowException,
  encodeBufferProbe,
  encodeClose,
  encodeCloseAck,
  encodeFlowException,
  encodePing,
  encodePingReply,
  type BufferProbeChunk,
  type CloseAckChunk,
  type CloseChunk,
  type FlowExceptionChunk,
  type PingChunk,
  type PingReplyChunk,
} from './control-chunks.js';
import { decodePacketFragment, encodePacketFragment, type PacketFragmentChunk } from './fragment.js';
import {
  decodeCookieChange,
  decodeFIHello,
  decodeIHello,
  decodeRHello,
  decodeRedirect,
  encodeCookieChange,
  encodeFIHello,
  encodeIHello,
  encodeRHello,
  encodeRedirect,
  type CookieChangeChunk,
  type FIHelloChunk,
  type IHelloChunk,
  type RHelloChunk,
  type RedirectChunk,
} from './hello-chunks.js';
import { decodeIIKeying, decodeRIKeying, encodeIIKeying, encodeRIKeying, type IIKeyingChunk, type RIKeyingChunk } from './keying-chunks.js';
import { decodeNextUserData, decodeUserData, encodeNextUserData, encodeUserData, type NextUserDataChunk, type UserDataChunk } from './user-data.js';

/** A chunk type this codec does not know; RFC 7016 says to skip it. */
export interface UnknownChunk {
  readonly kind: 'unknown';
  readonly type: number;
  readonly payload: Buffer;
}

/** Every chunk of RFC 7016 §2.3, decoded. `kind` tells them apart. */
export type Chunk =
  | PacketFragmentChunk
  | IHelloChunk
  | FIHelloChunk
  | RHelloChunk
  | RedirectChunk
  | CookieChangeChunk
  | IIKeyingChunk
  | RIKeyingChunk
  | PingChunk
  | PingReplyChunk
  | UserDataChunk
  | NextUserDataChunk
  | AckBitmapChunk
  | AckRangesChunk
  | BufferProbeChunk
  | FlowExceptionChunk
  | CloseChunk
  | CloseAckChunk
  | UnknownChunk;

/**
 * Decodes one framed chunk. Payload fields are views into the packet. Throws
 * `TruncatedInputError` or `RtmpProtocolError` for a payload that does not fit its type.
 */
export function decodeChunk(chunk: RawChunk): Chunk {
  const { payload } = chunk;
  switch (chunk.type) {
    case ChunkType.PacketFragment: return decodePacketFragment(payload);
    case ChunkType.IHello: return decodeIHello(payload);
    case ChunkType.FIHello: return decodeFIHello(payload);
    case ChunkType.RHello: return decodeRHello(payload);
    case ChunkType.Redirect: return decodeRedirect(payload);
    case ChunkType.CookieChange: return decodeCookieChange(payload);
    case ChunkType.IIKeying: return decodeIIKeying(payload);
    case ChunkType.RIKeying: return decodeRIKeying(payload);
    case ChunkType.Ping: return { kind: 'ping', message: payload };
    case ChunkType.PingReply: return { kind: 'ping-reply', message: payload };
    case ChunkType.UserData: return decodeUserData(payload);
    case ChunkType.NextUserData: return decodeNextUserData(payload);
    case ChunkType.AckBitmap: return decodeAckBitmap(payload);
    case ChunkType.AckRanges: return decodeAckRanges(payload);
    case ChunkType.BufferProbe: return decodeBufferProbe(payload);
    case ChunkType.FlowException: return decodeFlowException(payload);
    case ChunkType.Close: return { kind: 'close' };
    case ChunkType.CloseAck: return { kind: 'close-ack' };
    default: return { kind: 'unknown', type: chunk.type, payload };
  }
}

/** Frames any decoded chunk again. */
export function encodeChunk(chunk: Chunk): RawChunk {
  switch (chunk.kind) {
    case 'fragment': return encodePacketFragment(chunk);
    case 'ihello': return encodeIHello(chunk);
    case 'fihello': return encodeFIHello(chunk);
    case 'rhello': return encodeRHello(chunk);
    case 'redirect': return encodeRedirect(chunk);
    case 'cookie-change': return encodeCookieChange(chunk);
    case 'iikeying': return encodeIIKeying(chunk);
    case 'rikeying': return encodeRIKeying(chunk);
    case 'ping': return encodePing(chunk.message);
    case 'ping-reply': return encodePingReply(chunk.message);
    case 'user-data': return encodeUserData(chunk);
    case 'next-user-data': return encodeNextUserData(chunk);
    case 'ack-bitmap': return encodeAckBitmap(chunk);
    case 'ack-ranges': return encodeAckRanges(chunk);
    case 'buffer-probe': return encodeBufferProbe(chunk.flowId);
    case 'flow-exception': return encodeFlowException(chunk.flowId, chunk.exceptionCode);
    case 'close': return encodeClose();
    case 'close-ack': return encodeCloseAck();
    case 'unknown': return { type: chunk.type, payload: chunk.payload };
  }
}
