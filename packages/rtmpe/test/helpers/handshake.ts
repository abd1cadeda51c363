import type { ClientHandshake, HandshakeStep, ServerHandshake } from '@rtmpkit/core';

/** A deterministic byte source (xorshift32), so handshakes in tests repeat exactly. */
export function seededRandom(seed: number): (size: number) => Buffer {
  let state = seed >>> 0 || 1;
  return (size) => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[i] = state & 0xff;
    }
    return bytes;
  };
}

function joined(step: HandshakeStep): Buffer {
  return Buffer.concat(step.output);
}

/** The whole handshake between two machines in memory; returns what went each way. */
export function runHandshake(client: ClientHandshake, server: ServerHandshake): { c0c1: Buffer; s0s1s2: Buffer; c2: Buffer } {
  const c0c1 = client.start();
  const s0s1s2 = joined(server.receive(c0c1));
  const c2 = joined(client.receive(s0s1s2));
  const last = server.receive(c2);
  if (!client.done || !last.done) throw new Error('the handshake did not finish');
  return { c0c1, s0s1s2, c2 };
}
