import {
  type ByteChannel,
  DEFAULT_SESSION_TIMEOUTS,
  type IncomingSession,
  RTMP_VERSION,
  type ServerHandshakeOptions,
  type ServerSessionSettings,
  startServerSession,
  type TransportScheme,
} from '@rtmpkit/core';
import { peekFirstByte } from './first-byte.js';
import { type RtmpeServerOptions, rtmpeServerLink } from './rtmpe-link.js';

/** The schemes a server session reports: RTMP over RC4, and (with `acceptPlain`) plain RTMP. */
export interface RtmpeSchemes {
  encrypted: TransportScheme;
  plain: TransportScheme;
}

const TCP_SCHEMES: RtmpeSchemes = { encrypted: 'rtmpe', plain: 'rtmp' };
const TUNNEL_SCHEMES: RtmpeSchemes = { encrypted: 'rtmpte', plain: 'rtmpt' };

/**
 * Starts the server session of one connection that speaks RTMPE: the RTMPE handshake, then RTMP
 * over RC4, reported as `schemes.encrypted`. With `server.acceptPlain`, the client's C0 decides
 * first: 3 is a plain RTMP client, served unencrypted with core's own handshake and reported as
 * `schemes.plain` (so stats, logs and auth hooks see what the client really speaks); anything
 * else goes to RTMPE (which turns away what is not 6, 8 or 9). Waiting for C0 counts against
 * `timeouts.handshake`. `settings.handshake` is not used: the handshake options are `server`'s.
 * Resolves once `connect` arrived, as `startServerSession` does.
 */
export function startRtmpeServerSession(
  channel: ByteChannel,
  server: RtmpeServerOptions = {},
  settings: ServerSessionSettings = {},
  schemes: RtmpeSchemes = TCP_SCHEMES,
): Promise<IncomingSession> {
  return rtmpeSessionStarter(server, settings, schemes)(channel);
}

/**
 * `startRtmpeServerSession` with `server`, `settings` and `schemes` worked out once, for a
 * listener: every plain session then shares one options object instead of a copy each (a
 * session keeps its options for its life).
 */
export function rtmpeSessionStarter(
  server: RtmpeServerOptions = {},
  settings: ServerSessionSettings = {},
  schemes: RtmpeSchemes = TCP_SCHEMES,
): (channel: ByteChannel) => Promise<IncomingSession> {
  const { handshake: _unused, ...session } = settings;
  if (!server.acceptPlain) return (channel) => startEncrypted(channel, server, session, schemes.encrypted);
  const waitMs = session.timeouts?.handshake ?? DEFAULT_SESSION_TIMEOUTS.handshake;
  const encrypted = { ...server, acceptPlain: false };
  const plain = { ...session, scheme: schemes.plain, handshake: plainHandshake(server) };
  return async (channel) => {
    const { firstByte, channel: peeked } = await peekFirstByte(channel, waitMs);
    if (firstByte !== RTMP_VERSION) return startEncrypted(peeked, encrypted, session, schemes.encrypted);
    return startServerSession(peeked, plain);
  };
}

/** `startRtmpeServerSession` for a tunnel: reported as `rtmpte`, or `rtmpt` for a plain client. */
export function startRtmpteSession(channel: ByteChannel, server: RtmpeServerOptions = {}, settings: ServerSessionSettings = {}): Promise<IncomingSession> {
  return startRtmpeServerSession(channel, server, settings, TUNNEL_SCHEMES);
}

function startEncrypted(channel: ByteChannel, server: RtmpeServerOptions, session: ServerSessionSettings, scheme: TransportScheme): Promise<IncomingSession> {
  const link = rtmpeServerLink(channel, server);
  return startServerSession(link.channel, { ...session, scheme, handshake: link.handshake });
}

/** Core's handshake options among the RTMPE ones (S1 version, strict C2, sources of randomness). */
function plainHandshake(server: RtmpeServerOptions): ServerHandshakeOptions {
  const { serverType: _type, serverLayout: _layout, secretPadding: _padding, acceptPlain: _plain, keyPair: _keys, ...core } = server;
  return core;
}
