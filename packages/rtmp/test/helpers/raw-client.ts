import { connect as tcpConnect, type Socket } from 'node:net';
import {
  buildConnectCommand,
  ChunkDecoder,
  ChunkEncoder,
  ClientHandshake,
  decodeCommand,
  encodeCommand,
  type ClientHandshakeOptions,
  type RtmpCommand,
  type RtmpMessage,
} from '@rtmpkit/core';

/**
 * A hand-driven RTMP client on a raw socket, for misbehaving on purpose: it does a real
 * handshake (core's `ClientHandshake`), decodes what the server sends, and lets the test
 * write any bytes it likes.
 */
export class RawClient {
  readonly received: RtmpMessage[] = [];
  /** Resolves when the socket is closed (by either side). */
  readonly closed: Promise<void>;
  /** An error the socket reported (ECONNRESET when the server destroys it), if any. */
  socketError: Error | undefined;
  private readonly decoder = new ChunkDecoder();
  private readonly encoder = new ChunkEncoder();
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly socket: Socket,
    readonly handshake: ClientHandshake,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (error) => (this.socketError ??= error));
  }

  /** Connects to 127.0.0.1:`port` and completes the handshake. */
  static open(port: number, options: ClientHandshakeOptions = {}, timeoutMs = 5000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: '127.0.0.1', port });
      const handshake = new ClientHandshake(options);
      const client = new RawClient(socket, handshake);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`handshake with 127.0.0.1:${port} did not finish in ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        client.localPort = socket.localPort ?? 0;
        socket.write(handshake.start());
      });
      let handshaking = true;
      socket.on('data', (bytes: Buffer) => {
        if (!handshaking) {
          client.decode(bytes);
          return;
        }
        try {
          const step = handshake.receive(bytes);
          for (const output of step.output) socket.write(output);
          if (!step.done) return;
          handshaking = false;
          clearTimeout(timer);
          resolve(client);
          if (step.remainder.length > 0) client.decode(step.remainder);
        } catch (error) {
          clearTimeout(timer);
          socket.destroy();
          reject(error);
        }
      });
    });
  }

  /** The local port (how the server's `remote.port` names this client), kept from when it connected. */
  localPort = 0;

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Chunk-encodes a message (chunk size 128, as nothing else was announced) and writes it. */
  sendMessage(message: RtmpMessage, chunkStreamId = 3): void {
    this.write(this.encoder.encode(message, chunkStreamId));
  }

  sendCommand(command: RtmpCommand, streamId = 0): void {
    this.sendMessage(encodeCommand(command, { streamId }));
  }

  /** Sends `connect` for `app` and waits for the server's `_result` (rejects on `_error`). */
  async connect(app: string, timeoutMs = 5000): Promise<void> {
    const tcUrl = `rtmp://127.0.0.1:${this.socket.remotePort}/${app}`;
    this.sendCommand({ name: 'connect', transactionId: 1, commandObject: buildConnectCommand(app, tcUrl, 0), args: [] });
    const answer = await this.waitFor((message) => isCommand(message) && ['_result', '_error'].includes(decodeCommand(message).name), timeoutMs);
    const command = decodeCommand(answer);
    if (command.name !== '_result') throw new Error(`connect was refused: ${JSON.stringify(command.args)}`);
  }

  /** Resolves with the first received message (so far or later) that matches. */
  waitFor(match: (message: RtmpMessage) => boolean, timeoutMs = 5000): Promise<RtmpMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received.find(match);
        if (!found) return false;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching message in ${timeoutMs} ms (got types ${this.received.map((m) => m.type).join(',')})`));
      }, timeoutMs);
      if (!check()) this.waiters.add(waiter);
    });
  }

  /** Closes the socket in order (FIN), keeps reading until the server closes too. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private decode(bytes: Buffer): void {
    try {
      this.decoder.push(bytes, (message) => {
        this.received.push({ ...message, payload: Buffer.from(message.payload) });
      });
    } catch (error) {
      this.socketError ??= error as Error;
      this.socket.destroy();
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}

function isCommand(message: RtmpMessage): boolean {
  return message.type === 20 || message.type === 17;
}

/**
 * A chunk header (fmt 0, 11-byte message header) announcing a message of `length` bytes and
 * `type` on message stream `streamId`, chunk stream `chunkStreamId` (< 64).
 */
export function chunkHeader(chunkStreamId: number, length: number, type: number, streamId = 0, timestamp = 0): Buffer {
  const header = Buffer.alloc(12);
  header[0] = chunkStreamId & 0x3f;
  header.writeUIntBE(timestamp, 1, 3);
  header.writeUIntBE(length, 4, 3);
  header[7] = type;
  header.writeUInt32LE(streamId, 8);
  return header;
}

/**
 * The first `sent` bytes of a message of `length` bytes, chunked at 128 (fmt 0 header, then a
 * fmt 3 byte before each further chunk) — what a client that stops half-way has written.
 */
export function partialMessage(chunkStreamId: number, length: number, type: number, sent: number, streamId = 0): Buffer {
  const parts = [chunkHeader(chunkStreamId, length, type, streamId)];
  const payload = garbage(sent, length ^ sent);
  for (let offset = 0; offset < sent; offset += 128) {
    if (offset > 0) parts.push(Buffer.of(0xc0 | (chunkStreamId & 0x3f)));
    parts.push(payload.subarray(offset, Math.min(sent, offset + 128)));
  }
  return Buffer.concat(parts);
}

/** Deterministic "random" bytes (xorshift32), so a garbage test fails the same way every run. */
export function garbage(length: number, seed = 0x2545f491): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}
