import { RtmpProtocolError } from '../../errors/index.js';
import { assertIntegerInRange, assertUint32 } from '../encode-checks.js';
import { expectMessageType } from '../message-errors.js';
import { MessageType } from '../message-type.js';
import type { RtmpMessage } from '../rtmp-message.js';
import { controlMessage } from './protocol-control.js';

/**
 * Set Peer Bandwidth limit types as the RTMP spec (§5.4.5) numbers them.
 * nginx-rtmp swaps the first two (its `NGX_RTMP_LIMIT_SOFT` is 0 and `..._HARD` is 1); use
 * `peerBandwidthLimitKind(limitType, 'nginx')` to read a value from such a peer.
 */
export const PeerBandwidthLimitType = {
  /** Use exactly this window. */
  Hard: 0,
  /** Use the smaller of this window and the one in force. */
  Soft: 1,
  /** Act as Hard if the previous one was Hard, otherwise ignore. */
  Dynamic: 2,
} as const;

/** One of the `PeerBandwidthLimitType` values. */
export type PeerBandwidthLimitType = (typeof PeerBandwidthLimitType)[keyof typeof PeerBandwidthLimitType];

/** What a limit type means: `'unknown'` for values the spec does not define (3..255). */
export type PeerBandwidthLimitKind = 'hard' | 'soft' | 'dynamic' | 'unknown';

/** Whose numbering to read a limit type with: the spec's, or nginx-rtmp's swapped Soft/Hard. */
export type PeerBandwidthDialect = 'spec' | 'nginx';

/** The body of Set Peer Bandwidth (type 6). `limitType` is the raw byte, not interpreted. */
export interface SetPeerBandwidth {
  /** The window size in bytes. */
  windowSize: number;
  /** The limit type byte as sent; see `PeerBandwidthLimitType` and `peerBandwidthLimitKind`. */
  limitType: number;
}

/** Set Peer Bandwidth (type 6): 4-byte window, then 1-byte limit type. */
export function encodeSetPeerBandwidth(body: SetPeerBandwidth, timestamp = 0): RtmpMessage {
  assertUint32('windowSize', body.windowSize);
  assertIntegerInRange('limitType', body.limitType, 0, 0xff);
  const payload = Buffer.allocUnsafe(5);
  payload.writeUInt32BE(body.windowSize, 0);
  payload[4] = body.limitType;
  return controlMessage(MessageType.SetPeerBandwidth, payload, timestamp);
}

/** Reads Set Peer Bandwidth (type 6); the payload must be exactly 5 bytes. */
export function decodeSetPeerBandwidth(message: RtmpMessage): SetPeerBandwidth {
  expectMessageType('Set Peer Bandwidth', message.type, MessageType.SetPeerBandwidth);
  if (message.payload.length !== 5) {
    throw new RtmpProtocolError(`Set Peer Bandwidth payload must be 5 bytes, got ${message.payload.length}`);
  }
  return { windowSize: message.payload.readUInt32BE(0), limitType: message.payload[4]! };
}

/**
 * What a limit type byte means. With the default `'spec'` dialect 0 = hard and 1 = soft; with
 * `'nginx'` the two are swapped, as nginx-rtmp defines them (`ngx_rtmp.h`). 2 is dynamic in both.
 */
export function peerBandwidthLimitKind(limitType: number, dialect: PeerBandwidthDialect = 'spec'): PeerBandwidthLimitKind {
  switch (limitType) {
    case 0:
      return dialect === 'nginx' ? 'soft' : 'hard';
    case 1:
      return dialect === 'nginx' ? 'hard' : 'soft';
    case 2:
      return 'dynamic';
    default:
      return 'unknown';
  }
}
