/**
 * RTMPE: RTMP with a Diffie-Hellman exchange inside the digest handshake and RC4 on every byte
 * after it (handshake types 6, 8 and 9). It hides traffic from casual eyes; it is not security
 * (no authentication of the server, RC4, a 1024-bit group). Use RTMPS for that.
 */
export * from './crypto/index.js';
export {
  RTMPE_VERSION,
  RTMPE_XTEA_VERSION,
  RTMPE_BLOWFISH_VERSION,
  RTMPE_FLASH_VERSION,
  RTMPE_HANDSHAKE_LENGTH,
  type RtmpeType,
  isRtmpeType,
} from './rtmpe/constants.js';
export { RTMPE_XTEA_KEYS, RTMPE_BLOWFISH_KEYS, RTMPE_KEY_ROWS_USED } from './rtmpe/signature-keys.js';
export { rtmpeSignature, signatureKeyRow } from './rtmpe/signature-cipher.js';
export { type FirstChunkVerdict, looksLikeFirstChunk } from './rtmpe/first-chunk.js';
export { RtmpeExtension, type RtmpeHandshakeOptions, type RtmpeExtensionEvents } from './rtmpe/rtmpe-extension.js';
export { rc4Channel, type Rc4Channel, type Rc4ChannelOptions, type Rc4ChannelState } from './rtmpe/rc4-channel.js';
export {
  rtmpeClientLink,
  rtmpeServerLink,
  type RtmpeLink,
  type RtmpeClientOptions,
  type RtmpeServerOptions,
} from './rtmpe/rtmpe-link.js';
export { rtmpe, type RtmpeTransportOptions } from './rtmpe/rtmpe-transport.js';

// RTMPTE: the same over the RTMPT HTTP tunnel (@rtmpkit/rtmpt)
export { peekFirstByte, type PeekedChannel } from './rtmpe/first-byte.js';
export { startRtmpeServerSession, startRtmpteSession, type RtmpeSchemes } from './rtmpe/rtmpe-server-session.js';
export { createRtmpteHandler, type RtmpteHandler, type RtmpteHandlerOptions } from './rtmpte/rtmpte-handler.js';
export { rtmpte, type RtmpteTransportOptions } from './rtmpte/rtmpte-transport.js';
