import { RtmpError, type RtmpErrorOptions } from './rtmp-error.js';

/** Input ended before a complete value: the bytes are cut short. */
export class TruncatedInputError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMP_TRUNCATED');
    this.name = 'TruncatedInputError';
  }
}

/** AMF0 or AMF3 bytes that do not follow the format (unknown marker, bad reference, bad length). */
export class AmfDecodeError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_AMF_DECODE');
    this.name = 'AmfDecodeError';
  }
}

/** A JavaScript value that AMF cannot represent (a function, a symbol, a string too long...). */
export class AmfEncodeError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_AMF_ENCODE');
    this.name = 'AmfEncodeError';
  }
}

/** The peer broke the RTMP protocol: chunk stream, message layout or command sequence. */
export class RtmpProtocolError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMP_PROTOCOL');
    this.name = 'RtmpProtocolError';
  }
}

/** A configured limit was passed. `limit` names the option, `value` is what it was set to. */
export class LimitExceededError extends RtmpError {
  readonly limit: string;
  readonly value: number;

  constructor(limit: string, value: number, message: string, options?: RtmpErrorOptions) {
    super(`${message} (limit ${limit} = ${value}; raise it in the options if this peer is legitimate)`, options, 'ERR_RTMP_LIMIT');
    this.name = 'LimitExceededError';
    this.limit = limit;
    this.value = value;
  }
}

/** The handshake failed: bad version, bad digest, bad signature, or out-of-order bytes. */
export class HandshakeError extends RtmpError {
  constructor(message: string, options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMP_HANDSHAKE');
    this.name = 'HandshakeError';
  }
}
