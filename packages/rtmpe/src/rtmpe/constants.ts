/** The C0 byte of an RTMPE client. */
export const RTMPE_VERSION = 6;

/** Handshake type 8: RTMPE whose C2/S2 signatures are XTEA-encrypted. */
export const RTMPE_XTEA_VERSION = 8;

/** Handshake type 9: RTMPE whose C2/S2 signatures are Blowfish-encrypted. */
export const RTMPE_BLOWFISH_VERSION = 9;

/** The RTMPE handshake types, i.e. the C0/S0 bytes an RTMPE end accepts. */
export type RtmpeType = 6 | 8 | 9;

/** C1 bytes 4..7 of an RTMPE client: 128.0.3.2, what librtmp and FFmpeg send (byte 4 = 128 asks librtmp servers for type 8). */
export const RTMPE_FLASH_VERSION: Buffer = Buffer.from([0x80, 0x00, 0x03, 0x02]);

/**
 * Bytes of the handshake in each direction, all of them sent in the clear: C0+C1+C2 from the
 * client, S0+S1+S2 from the server. RC4 starts with the byte after them.
 */
export const RTMPE_HANDSHAKE_LENGTH = 1 + 1536 + 1536;

/** True for 6, 8 and 9. */
export function isRtmpeType(version: number): version is RtmpeType {
  return version === RTMPE_VERSION || version === RTMPE_XTEA_VERSION || version === RTMPE_BLOWFISH_VERSION;
}
