export { RtmpError, type RtmpErrorOptions } from './rtmp-error.js';
export {
  TruncatedInputError,
  AmfDecodeError,
  AmfEncodeError,
  RtmpProtocolError,
  LimitExceededError,
  HandshakeError,
  CommandError,
  TimeoutError,
  type TimeoutKind,
  SessionClosedError,
  StreamRejectedError,
  AbortedError,
} from './errors.js';
