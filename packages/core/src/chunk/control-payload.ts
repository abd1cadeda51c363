import { RtmpProtocolError } from '../errors/index.js';
import { ABORT, ACKNOWLEDGEMENT, SET_CHUNK_SIZE, WINDOW_ACK_SIZE } from './chunk-constants.js';

const CONTROL_NAMES: Record<number, string> = {
  [SET_CHUNK_SIZE]: 'Set Chunk Size',
  [ABORT]: 'Abort',
  [ACKNOWLEDGEMENT]: 'Acknowledgement',
  [WINDOW_ACK_SIZE]: 'Window Acknowledgement Size',
};

/** True for the protocol control types whose payload is one 4-byte value (1, 2, 3 and 5). */
export function isFourByteControl(type: number): boolean {
  return type === SET_CHUNK_SIZE || type === ABORT || type === ACKNOWLEDGEMENT || type === WINDOW_ACK_SIZE;
}

/**
 * The 4-byte value of a Set Chunk Size, Abort, Acknowledgement or Window Acknowledgement Size
 * payload. Any other payload length is a protocol error: the peer and we disagree on framing.
 */
export function readControlValue(type: number, payload: Buffer): number {
  if (payload.length !== 4) {
    throw new RtmpProtocolError(`${CONTROL_NAMES[type]} message has a ${payload.length}-byte payload, expected 4`);
  }
  return payload.readUInt32BE(0);
}

/** Checks a Set Chunk Size value (31 bits, at least 1) and returns it. */
export function checkPeerChunkSize(value: number): number {
  if (value > 0x7fffffff) {
    throw new RtmpProtocolError(`Set Chunk Size 0x${value.toString(16)} has the reserved top bit set`);
  }
  if (value === 0) throw new RtmpProtocolError('Set Chunk Size of 0: chunk size must be at least 1');
  return value;
}
