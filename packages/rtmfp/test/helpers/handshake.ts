import { expect } from 'vitest';
import {
  DEFAULT_CIPHER,
  PacketCipher,
  RtmfpInitiator,
  RtmfpResponder,
  decodeChunk,
  encodeChunk,
  encodePing,
  openPacket,
  openStartupPacket,
  peekSessionId,
  sealPacket,
  sealStartupPacket,
  type Chunk,
  type HandshakeResult,
  type PeerAddress,
} from '../../src/index.js';

export const CLIENT: PeerAddress = { host: '127.0.0.1', port: 50001 };
export const SERVER_SESSION_ID = 0x55667788;

/** One chunk in a startup datagram, through the real packet codec, and back out. */
export function overTheWire(chunk: Chunk, sessionId = 0): Chunk {
  const datagram = sealStartupPacket([encodeChunk(chunk)], { sessionId, timestamp: 0x1234 });
  expect(peekSessionId(datagram)).toBe(sessionId);
  const packet = openStartupPacket(datagram);
  expect(packet.mode).toBe('startup');
  expect(packet.chunks).toHaveLength(1);
  return decodeChunk(packet.chunks[0]!);
}

/** Runs IHello → RHello → IIKeying → RIKeying through startup datagrams; returns both results. */
export function handshake(initiator: RtmfpInitiator, responder: RtmfpResponder, from: PeerAddress = CLIENT): { client: HandshakeResult; server: HandshakeResult } {
  const ihello = overTheWire(initiator.ihello());
  expect(ihello.kind).toBe('ihello');
  const rhello = responder.handleIHello(ihello as never, from);
  expect(rhello).toBeDefined();
  const step = initiator.receive(overTheWire(rhello!));
  expect(step.kind).toBe('send');
  const iikeying = overTheWire((step as { chunk: Chunk }).chunk);
  const outcome = responder.handleIIKeying(iikeying as never, from, () => SERVER_SESSION_ID);
  expect(outcome.kind).toBe('accepted');
  if (outcome.kind !== 'accepted') throw new Error('not accepted');
  // RIKeying: to the initiator's session id, still the default key, still startup mode.
  const opened = initiator.receive(overTheWire(outcome.rikeying, initiator.sessionId));
  expect(opened.kind).toBe('open');
  return { client: (opened as { result: HandshakeResult }).result, server: outcome.result };
}

/** Checks that both ends can send each other session packets with the keys they derived. */
export function expectWorkingSession(client: HandshakeResult, server: HandshakeResult): void {
  expect(client.keys.encryptKey).toEqual(server.keys.decryptKey);
  expect(client.keys.decryptKey).toEqual(server.keys.encryptKey);
  expect(client.keys.encryptKey).not.toEqual(client.keys.decryptKey);
  expect(client.keys.nearNonce).toEqual(server.keys.farNonce);
  expect(client.keys.farNonce).toEqual(server.keys.nearNonce);
  expect(client.farSessionId).toBe(server.nearSessionId);
  expect(server.farSessionId).toBe(client.nearSessionId);
  expect(client.group).toBe(server.group);

  const up = sealPacket({ sessionId: client.farSessionId, mode: 'initiator', timestamp: 1, chunks: [encodePing(Buffer.from('up'))] }, new PacketCipher(client.keys.encryptKey));
  expect(peekSessionId(up)).toBe(server.nearSessionId);
  expect(openPacket(up, new PacketCipher(server.keys.decryptKey)).chunks[0]!.payload.toString()).toBe('up');
  expect(() => openPacket(up, DEFAULT_CIPHER)).toThrow();

  const down = sealPacket({ sessionId: server.farSessionId, mode: 'responder', chunks: [encodePing(Buffer.from('down'))] }, new PacketCipher(server.keys.encryptKey));
  expect(openPacket(down, new PacketCipher(client.keys.decryptKey)).chunks[0]!.payload.toString()).toBe('down');
}
