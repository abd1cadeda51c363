import { ChunkDecoder, MessageType, type RtmpCommand, decodeCommand } from '@rtmpkit/core';
import type { Rc4Channel } from '../../src/rtmpe/rc4-channel.js';

/** Something that runs a handshake on received bytes: core's ClientHandshake or ServerHandshake. */
export interface HandshakeLike {
  readonly done: boolean;
  receive(bytes: Uint8Array): { output: Buffer[]; done: boolean; remainder: Buffer };
}

/**
 * Drives `handshake` over `channel`, then decodes the chunk stream after it and calls `onCommand`
 * for each AMF0 command. `onHandshakeDone` runs once, when the handshake finished. Errors (a bad
 * handshake, garbage that will not decode) and an early close go to `onError`.
 */
export function readRtmp(
  channel: Rc4Channel,
  handshake: HandshakeLike,
  events: { onHandshakeDone?(): void; onCommand(command: RtmpCommand): void; onError(error: Error): void },
): void {
  const decoder = new ChunkDecoder();
  channel.attach({
    data: (received) => {
      try {
        let bytes = received;
        if (!handshake.done) {
          const step = handshake.receive(bytes);
          for (const output of step.output) channel.write(output);
          if (!step.done) return;
          events.onHandshakeDone?.();
          bytes = step.remainder;
        }
        decoder.push(bytes, (message) => {
          if (message.type === MessageType.CommandAmf0) events.onCommand(decodeCommand(message));
        });
      } catch (error) {
        events.onError(error instanceof Error ? error : new Error(String(error)));
      }
    },
    drain: () => {},
    close: (error) => events.onError(error ?? new Error('the connection closed')),
  });
}
