export {
  HANDSHAKE_PACKET_SIZE,
  HANDSHAKE_DIGEST_SIZE,
  HANDSHAKE_PUBLIC_KEY_SIZE,
  RTMP_VERSION,
  FP_KEY_TEXT,
  FMS_KEY_TEXT,
  FP_KEY,
  FMS_KEY,
  DEFAULT_FLASH_VERSION,
  DEFAULT_SERVER_VERSION,
} from './constants.js';
export {
  type HandshakeLayout,
  HANDSHAKE_LAYOUTS,
  digestBlockStart,
  keyBlockStart,
  digestPosition,
  keyPosition,
} from './layout.js';
export { type FoundDigest, computeDigest, writeDigest, hasDigestAt, findDigest } from './digest.js';
export { signatureKey, computeSignature, signatureOf } from './signature.js';
export type { HandshakeRole, HandshakeExtension, HandshakeExtensionContext } from './extension.js';
export type {
  HandshakeStep,
  ResponseMatch,
  CommonHandshakeOptions,
  ClientHandshakeOptions,
  ServerHandshakeOptions,
  HandshakeInfo,
} from './options.js';
export { ClientHandshake } from './client-handshake.js';
export { ServerHandshake } from './server-handshake.js';
