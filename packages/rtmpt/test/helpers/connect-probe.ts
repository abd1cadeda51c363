import { ChunkDecoder, MessageType, ServerHandshake, decodeCommand, type ByteChannel, type RtmpCommand } from '@rtmpkit/core';

/**
 * Plays the server's first steps over a channel, with core's codecs only: the handshake, then the
 * chunk stream until the client's `connect` command arrives. Resolves with that command; rejects
 * on a codec error or if the channel closes first.
 */
export function awaitConnectCommand(channel: ByteChannel): Promise<RtmpCommand> {
  return new Promise((resolve, reject) => {
    const handshake = new ServerHandshake();
    const decoder = new ChunkDecoder();
    let done = false;
    const onBytes = (bytes: Buffer) => {
      decoder.push(bytes, (message) => {
        if (done || (message.type !== MessageType.CommandAmf0 && message.type !== MessageType.CommandAmf3)) return;
        const command = decodeCommand(message);
        if (command.name === 'connect') {
          done = true;
          resolve(command);
        }
      });
    };
    channel.attach({
      data(bytes) {
        try {
          if (!handshake.done) {
            const step = handshake.receive(bytes);
            for (const output of step.output) channel.write(output);
            if (step.done && step.remainder.length > 0) onBytes(step.remainder);
          } else {
            onBytes(bytes);
          }
        } catch (error) {
          done = true;
          reject(error);
        }
      },
      drain() {},
      close(error) {
        if (!done) reject(error ?? new Error('the tunnel closed before connect arrived'));
      },
    });
  });
}
