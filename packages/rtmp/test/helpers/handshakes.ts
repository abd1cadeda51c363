import { HANDSHAKE_PACKET_SIZE, ServerHandshake, type HandshakeDriver, type HandshakeInfo } from '@rtmpkit/core';

/** The facts a test asserts about a server handshake (the driver is core's `ServerHandshake`). */
export function handshakeFacts(
  driver: HandshakeDriver | undefined,
): Pick<HandshakeInfo, 'done' | 'digest' | 'peerLayout' | 'responseMatch'> & { peerVersionBytes?: string } {
  if (driver && 'inner' in driver) driver = (driver as { inner: HandshakeDriver }).inner;
  if (!(driver instanceof ServerHandshake)) throw new Error('not a ServerHandshake');
  return {
    done: driver.done,
    digest: driver.digest,
    peerLayout: driver.peerLayout,
    responseMatch: driver.responseMatch,
    peerVersionBytes: driver.peerVersionBytes?.toString('hex'),
  };
}

/**
 * A server handshake that answers like core's, but flips one byte of the S2 signature in digest
 * mode: a client that checks the server's digest handshake must refuse it.
 */
export function corruptS2Signature(): HandshakeDriver & { inner: ServerHandshake } {
  const inner = new ServerHandshake();
  return {
    inner,
    receive(bytes) {
      const step = inner.receive(bytes);
      for (const output of step.output) {
        if (inner.digest && output.length === 1 + 2 * HANDSHAKE_PACKET_SIZE) output[output.length - 1] ^= 0xff;
      }
      return step;
    },
  };
}
