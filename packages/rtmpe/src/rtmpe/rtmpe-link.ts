import {
  type ByteChannel,
  ClientHandshake,
  type ClientHandshakeOptions,
  ServerHandshake,
  type ServerHandshakeOptions,
} from '@rtmpkit/core';
import { type Rc4Channel, rc4Channel } from './rc4-channel.js';
import { RtmpeExtension, type RtmpeHandshakeOptions } from './rtmpe-extension.js';

/** Options of an RTMPE client connection: core's handshake options (but its extension) and RTMPE's. */
export interface RtmpeClientOptions extends Omit<ClientHandshakeOptions, 'extension' | 'digest'>, RtmpeHandshakeOptions {}

/** Options of an RTMPE server connection: core's handshake options (but its extension) and RTMPE's. */
export interface RtmpeServerOptions extends Omit<ServerHandshakeOptions, 'extension'>, RtmpeHandshakeOptions {}

/** One RTMPE connection, wired: the handshake to run over `channel`, and the extension inside it. */
export interface RtmpeLink<H> {
  /** Carries the handshake in the clear, then RC4 with the keys the handshake produced. */
  readonly channel: Rc4Channel;
  /** Core's handshake with the RTMPE extension; feed it what `channel` delivers until it is done. */
  readonly handshake: H;
  readonly extension: RtmpeExtension;
}

function link<H>(inner: ByteChannel, options: RtmpeHandshakeOptions, makeHandshake: (extension: RtmpeExtension) => H): RtmpeLink<H> {
  const channel = rc4Channel(inner);
  const extension = new RtmpeExtension(options, {
    keys: (candidates) => channel.setKeys(candidates),
    plain: () => channel.passThrough(),
  });
  return { channel, handshake: makeHandshake(extension), extension };
}

/**
 * Wires the client end of an RTMPE connection over `inner` (a socket, an HTTP tunnel...). Hand
 * `channel` and `handshake` to the session (`startClientSession(link.channel, { handshake:
 * link.handshake, ... })`), or drive the handshake yourself: `start()`, then `receive()` what the
 * channel delivers. The keys reach the channel by themselves.
 */
export function rtmpeClientLink(inner: ByteChannel, options: RtmpeClientOptions = {}): RtmpeLink<ClientHandshake> {
  const { serverType, serverLayout, secretPadding, acceptPlain, keyPair, ...handshake } = options;
  return link(inner, { serverType, serverLayout, secretPadding, acceptPlain, keyPair }, (extension) => new ClientHandshake({ ...handshake, extension }));
}

/** Wires the server end of an RTMPE connection over `inner`; see `rtmpeClientLink`. */
export function rtmpeServerLink(inner: ByteChannel, options: RtmpeServerOptions = {}): RtmpeLink<ServerHandshake> {
  const { serverType, serverLayout, secretPadding, acceptPlain, keyPair, ...handshake } = options;
  return link(inner, { serverType, serverLayout, secretPadding, acceptPlain, keyPair }, (extension) => new ServerHandshake({ ...handshake, extension }));
}
