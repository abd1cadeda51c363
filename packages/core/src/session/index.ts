/** The NetConnection/NetStream session over a `ByteChannel`, both roles. */
export type * from './byte-channel.js';
export type * from './session-types.js';
export { startClientSession } from './client-session.js';
export { startServerSession } from './server-session.js';
export {
  DEFAULT_SESSION_TIMEOUTS,
  DEFAULT_SESSION_LIMITS,
  type SessionTimeouts,
  type SessionLimits,
  type SessionTuning,
} from './session-options.js';
export type { HandshakeDriver, HandshakeOption, ClientHandshakeOption, ServerHandshakeOption } from './handshake-driver.js';
export type { SharedEncoding } from './outgoing.js';
export { buildConnectCommand, parseConnectInfo } from './connect-info.js';
export { StatusCode, statusInfo } from './status.js';
export { normalizePlayStart, normalizePlayDuration } from './stream-requests.js';
export { chunkStreamFor } from './chunk-streams.js';
