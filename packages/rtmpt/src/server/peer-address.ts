import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PeerAddress } from '@rtmpkit/core';

/** The TCP peer of a request, as a `PeerAddress`. */
export function requestPeerAddress(request: IncomingMessage): PeerAddress {
  const socket = request.socket;
  const family = socket.remoteFamily === 'IPv4' || socket.remoteFamily === 'IPv6' ? socket.remoteFamily : 'other';
  return { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, family };
}

/** True when the request came over TLS. */
export function requestIsEncrypted(request: IncomingMessage): boolean {
  return (request.socket as Partial<TLSSocket>).encrypted === true;
}
