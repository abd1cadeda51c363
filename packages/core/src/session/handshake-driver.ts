import {
  ClientHandshake,
  ServerHandshake,
  type ClientHandshakeOptions,
  type HandshakeStep,
  type ServerHandshakeOptions,
} from '../handshake/index.js';

/**
 * What the session needs of a handshake. `ClientHandshake` and `ServerHandshake` fit; RTMPE (or
 * a test) can bring its own. `start()` (client only) gives the first bytes to send (C0+C1);
 * `receive()` takes the peer's bytes, split anywhere, and says what to send, whether the
 * handshake is over, and which bytes came after it. It throws an `RtmpError` on a bad peer.
 */
export interface HandshakeDriver {
  start?(): Buffer;
  receive(bytes: Uint8Array): HandshakeStep;
}

/**
 * The handshake plug-in point of the session options: a ready driver (used once), a factory
 * called once per session, or options for the built-in `ClientHandshake`/`ServerHandshake`.
 */
export type HandshakeOption<O> = HandshakeDriver | (() => HandshakeDriver) | O;

export type ClientHandshakeOption = HandshakeOption<ClientHandshakeOptions>;
export type ServerHandshakeOption = HandshakeOption<ServerHandshakeOptions>;

function isDriver(value: unknown): value is HandshakeDriver {
  return typeof value === 'object' && value !== null && typeof (value as HandshakeDriver).receive === 'function';
}

/** Makes the driver for one session from the option. */
export function resolveHandshake(
  role: 'client' | 'server',
  option: ClientHandshakeOption | ServerHandshakeOption | undefined,
): HandshakeDriver {
  if (isDriver(option)) return option;
  if (typeof option === 'function') return option();
  if (role === 'client') {
    const driver = new ClientHandshake((option ?? {}) as ClientHandshakeOptions);
    return driver;
  }
  return new ServerHandshake((option ?? {}) as ServerHandshakeOptions);
}
