/** Size of C1, S1, C2 and S2 (the C0/S0 version byte comes on top). */
export const HANDSHAKE_PACKET_SIZE = 1536;

/** Size of an HMAC-SHA256 digest, and so of the C1/S1 digest and the C2/S2 signature. */
export const HANDSHAKE_DIGEST_SIZE = 32;

/** Size of the RTMPE Diffie-Hellman public key that sits in a C1/S1 key block. */
export const HANDSHAKE_PUBLIC_KEY_SIZE = 128;

/** The C0/S0 version byte of plain RTMP. */
export const RTMP_VERSION = 3;

/** The 32 bytes shared by the Flash Player and Flash Media Server keys (public since rtmpdump). */
const SHARED_KEY_TAIL = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');

/** Text part of the Flash Player key (30 bytes): the HMAC key of the digest inside C1. */
export const FP_KEY_TEXT: Buffer = Buffer.from('Genuine Adobe Flash Player 001', 'latin1');

/** Text part of the Flash Media Server key (36 bytes): the HMAC key of the digest inside S1. */
export const FMS_KEY_TEXT: Buffer = Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1');

/** Full Flash Player key (62 bytes): makes the key of the C2 signature. */
export const FP_KEY: Buffer = Buffer.concat([FP_KEY_TEXT, SHARED_KEY_TAIL]);

/** Full Flash Media Server key (68 bytes): makes the key of the S2 signature. */
export const FMS_KEY: Buffer = Buffer.concat([FMS_KEY_TEXT, SHARED_KEY_TAIL]);

/** C1 bytes 4..7 that FFmpeg sends (9.0.124.2); our client's default, a Flash-like version. */
export const DEFAULT_FLASH_VERSION: Buffer = Buffer.from([9, 0, 124, 2]);

/**
 * S1 bytes 4..7 our server sends in digest mode: nginx-rtmp's `0D 0E 0A 0D`. Its first byte is
 * at least 3, which FFmpeg needs before it checks the server digest, and clients know it well.
 */
export const DEFAULT_SERVER_VERSION: Buffer = Buffer.from([0x0d, 0x0e, 0x0a, 0x0d]);
