export { RtmpError, type RtmpErrorOptions } from './rtmp-error.js';
export {
  TruncatedInputError,
  AmfDecodeError,
  AmfEncodeError,
  RtmpProtocolError,
  LimitExceededError,
  HandshakeError,
} from './errors.js';
