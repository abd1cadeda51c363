import {
  type ByteChannel,
  DEFAULT_SESSION_TIMEOUTS,
  type IncomingSession,
  RTMP_VERSION,
  type ServerHandshakeOptions,
  type ServerSessionSettings,
  startServerSession,
} from '@rtmpkit/core';
import { type RtmpeServerOptions, rtmpeServerLink } from '../rtmpe/rtmpe-link.js';
import { peekFirstByte } from './first-byte.js';

/**
 * Starts the server session of one tunnel that speaks RTMPTE: the RTMPE handshake, then RTMP
 * over RC4, reported as scheme `rtmpte`. With `server.acceptPlain`, the client's C0 decides
 * first: 3 is a plain RTMPT client, served unencrypted with core's own handshake and reported as
 * `rtmpt`; anything else goes to RTMPE (which turns away what is not 6, 8 or 9). Waiting for C0
 * counts against `timeouts.handshake`. `settings.handshake` is not used: the handshake options
 * are `server`'s. Resolves once `connect` arrived, as `startServerSession` does.
 */
export async function startRtmpteSession(
  channel: ByteChannel,
  server: RtmpeServerOptions = {},
  settings: ServerSessionSettings = {},
): Promise<IncomingSession> {
  const { handshake: _unused, ...session } = settings;
  if (!server.acceptPlain) return startEncrypted(channel, server, session);
  const { firstByte, channel: peeked } = await peekFirstByte(channel, session.timeouts?.handshake ?? DEFAULT_SESSION_TIMEOUTS.handshake);
  if (firstByte !== RTMP_VERSION) return startEncrypted(peeked, { ...server, acceptPlain: false }, session);
  return startServerSession(peeked, { ...session, scheme: 'rtmpt', handshake: plainHandshake(server) });
}

function startEncrypted(channel: ByteChannel, server: RtmpeServerOptions, session: ServerSessionSettings): Promise<IncomingSession> {
  const link = rtmpeServerLink(channel, server);
  return startServerSession(link.channel, { ...session, scheme: 'rtmpte', handshake: link.handshake });
}

/** Core's handshake options among the RTMPE ones (S1 version, strict C2, sources of randomness). */
function plainHandshake(server: RtmpeServerOptions): ServerHandshakeOptions {
  const { serverType: _type, serverLayout: _layout, secretPadding: _padding, acceptPlain: _plain, keyPair: _keys, ...core } = server;
  return core;
}
