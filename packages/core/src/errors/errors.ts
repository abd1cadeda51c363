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

/**
 * The peer answered a call with `_error` (or an `onStatus` of level "error" stood for the
 * answer). `info` is the peer's info object, when it sent one; `code` on the error stays
 * `ERR_RTMP_COMMAND`, and `statusCode` carries the peer's status code (e.g.
 * `NetConnection.Call.Failed`, `NetConnection.Connect.Rejected`).
 */
export class CommandError extends RtmpError {
  /** The command that failed (`connect`, `createStream`, a user call...). */
  readonly command: string;
  /** The peer's status code, from `info.code`, when there is one. */
  readonly statusCode: string | undefined;
  /** The peer's info object (the first argument after the command object), when it is an object. */
  readonly info: Record<string, unknown> | undefined;
  /** Everything the `_error` carried after the transaction id. */
  readonly details: { commandObject: unknown; args: unknown[] };

  constructor(
    command: string,
    details: { commandObject: unknown; args: unknown[] },
    message?: string,
    options?: RtmpErrorOptions,
  ) {
    const info = firstInfoObject(details);
    const statusCode = typeof info?.code === 'string' ? info.code : undefined;
    const description = typeof info?.description === 'string' ? info.description : undefined;
    super(
      message ?? `${command} failed${statusCode ? `: ${statusCode}` : ''}${description ? ` (${description})` : ''}`,
      options,
      'ERR_RTMP_COMMAND',
    );
    this.name = 'CommandError';
    this.command = command;
    this.statusCode = statusCode;
    this.info = info;
    this.details = details;
  }
}

function firstInfoObject(details: { commandObject: unknown; args: unknown[] }): Record<string, unknown> | undefined {
  for (const candidate of [details.args[0], details.commandObject]) {
    if (typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate)) {
      return candidate as Record<string, unknown>;
    }
  }
  return undefined;
}

/** Which deadline passed. */
export type TimeoutKind = 'handshake' | 'connect' | 'idle' | 'call' | 'close';

/** A configured deadline passed: `timeout` names it, `ms` is what it was set to. */
export class TimeoutError extends RtmpError {
  readonly timeout: TimeoutKind;
  readonly ms: number;

  constructor(timeout: TimeoutKind, ms: number, message?: string, options?: RtmpErrorOptions) {
    super(message ?? `${timeout} timeout: nothing in ${ms} ms`, options, 'ERR_RTMP_TIMEOUT');
    this.name = 'TimeoutError';
    this.timeout = timeout;
    this.ms = ms;
  }
}

/**
 * The session is closed, or closed while something waited on it (a pending call, a send, a
 * stream iterator). `cause` is the session's `closeError` when it did not close in order.
 */
export class SessionClosedError extends RtmpError {
  constructor(message = 'the session is closed', options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMP_SESSION_CLOSED');
    this.name = 'SessionClosedError';
  }
}

/**
 * A publish or play was refused. Client side: the server's error `onStatus`. Server side: throw
 * it from a stream request handler to refuse with `statusCode` (e.g. `NetStream.Publish.BadName`).
 */
export class StreamRejectedError extends RtmpError {
  /** The onStatus code, e.g. `NetStream.Publish.BadName` or `NetStream.Play.StreamNotFound`. */
  readonly statusCode: string;
  /** The onStatus description, if any. */
  readonly description: string | undefined;
  /** The whole info object, client side. */
  readonly info: Record<string, unknown> | undefined;

  constructor(statusCode: string, description?: string, info?: Record<string, unknown>, options?: RtmpErrorOptions) {
    super(`${statusCode}${description ? `: ${description}` : ''}`, options, 'ERR_RTMP_STREAM_REJECTED');
    this.name = 'StreamRejectedError';
    this.statusCode = statusCode;
    this.description = description;
    this.info = info;
  }
}

/** An operation was cancelled through its AbortSignal; `cause` is the signal's reason. */
export class AbortedError extends RtmpError {
  constructor(message = 'the operation was aborted', options?: RtmpErrorOptions) {
    super(message, options, 'ERR_RTMP_ABORTED');
    this.name = 'AbortedError';
  }
}
