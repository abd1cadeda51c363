import { RtmpProtocolError, TruncatedInputError } from '../errors/index.js';

/**
 * Runs a decoder and turns running out of bytes into an `RtmpProtocolError`: the message arrived
 * whole, so a field that does not fit is a malformed message, not a short read.
 */
export function decodeOrThrowProtocolError<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof TruncatedInputError) {
      throw new RtmpProtocolError(`malformed ${what}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Throws unless `message.type` is one of `expected` (a decoder was handed the wrong message). */
export function expectMessageType(what: string, type: number, ...expected: number[]): void {
  if (!expected.includes(type)) {
    throw new RtmpProtocolError(`${what} must be message type ${expected.join(' or ')}, got type ${type}`);
  }
}
