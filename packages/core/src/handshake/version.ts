import { HandshakeError } from '../errors/index.js';
import { RTMP_VERSION } from './constants.js';
import type { HandshakeExtension, HandshakeRole } from './extension.js';

/** TLS records start with content type 22 (handshake): a TLS client or server on an RTMP port. */
const TLS_HANDSHAKE_RECORD = 0x16;
/** The spec forbids 32..255 so that RTMP never looks like a text protocol. */
const FIRST_TEXT_BYTE = 32;

function describeForeignByte(byte: number): string {
  const printable = byte >= FIRST_TEXT_BYTE && byte < 0x7f;
  const shown = printable ? ` ('${String.fromCharCode(byte)}')` : '';
  const guess = printable ? 'text arrived, e.g. an HTTP request' : 'the byte is outside the RTMP range 0..31';
  return `first byte 0x${byte.toString(16).padStart(2, '0')}${shown} is not an RTMP version: not RTMP at all (${guess})`;
}

/**
 * Checks the peer's C0 (server) or S0 (client) byte. 3 is accepted, or whatever the extension's
 * `acceptVersion` allows; 32..255 is never RTMP. Throws `HandshakeError` otherwise.
 */
export function checkPeerVersion(version: number, role: HandshakeRole, extension: HandshakeExtension | undefined): void {
  const which = role === 'server' ? 'C0' : 'S0';
  if (version >= FIRST_TEXT_BYTE) {
    throw new HandshakeError(`${which}: ${describeForeignByte(version)}`);
  }
  const accepted = extension?.acceptVersion ? extension.acceptVersion(version, role) : version === RTMP_VERSION;
  if (accepted) return;
  if (version === TLS_HANDSHAKE_RECORD) {
    throw new HandshakeError(`${which}: byte 0x16 looks like a TLS handshake, not RTMP: the peer speaks TLS (RTMPS?)`);
  }
  const accepts = extension?.acceptVersion ? "the extension's versions" : 'only 3';
  throw new HandshakeError(`${which}: unsupported RTMP version ${version} (accepted: ${accepts})`);
}
