import { connect as tcpConnect, type Socket } from 'node:net';
import {
  buildConnectCommand,
  ChunkDecoder,
  ChunkEncoder,
  ClientHandshake,
  decodeCommand,
  encodeCommand,
  encodeUserControl,
  type RtmpCommand,
  type RtmpMessage,
} from '@rtmpkit/core';

/**
 * A hand-driven RTMP player on a raw socket: real handshake, connect, createStream and play with
 * core's codecs, then the test decides whether it keeps reading. `stopReading()` pauses the
 * socket, so the kernel buffers fill and the server sees a player that does not keep up.
 */
export class RawPlayer {
  readonly received: RtmpMessage[] = [];
  /** Video messages decoded so far. */
  videoCount = 0;
  /** Coded video frames as they arrived: the frame's fill byte (see `syntheticStream`) and whether it is a keyframe. */
  readonly frames: Array<{ index: number; keyframe: boolean }> = [];
  private throttle: ReturnType<typeof setInterval> | undefined;
  /** Bytes still allowed in this slice (Infinity: no throttle). */
  private budget = Infinity;
  readonly closed: Promise<void>;
  private readonly decoder = new ChunkDecoder();
  private readonly encoder = new ChunkEncoder();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
  }

  /** Connects to 127.0.0.1:`port`, handshakes, connects to `app` and plays `name`. */
  static async play(port: number, app: string, name: string, timeoutMs = 5000): Promise<RawPlayer> {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const player = new RawPlayer(socket);
    const handshake = new ClientHandshake();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('handshake timed out')), timeoutMs);
      socket.once('error', reject);
      socket.once('connect', () => socket.write(handshake.start()));
      let handshaking = true;
      socket.on('data', (bytes: Buffer) => {
        if (!handshaking) return player.decode(bytes);
        const step = handshake.receive(bytes);
        for (const output of step.output) socket.write(output);
        if (!step.done) return;
        handshaking = false;
        clearTimeout(timer);
        socket.off('error', reject);
        resolve();
        if (step.remainder.length > 0) player.decode(step.remainder);
      });
    });
    const tcUrl = `rtmp://127.0.0.1:${port}/${app}`;
    player.command({ name: 'connect', transactionId: 1, commandObject: buildConnectCommand(app, tcUrl, 0), args: [] });
    await player.waitForCommand((command) => command.name === '_result' && command.transactionId === 1, timeoutMs);
    player.command({ name: 'createStream', transactionId: 2, commandObject: null, args: [] });
    const created = await player.waitForCommand((command) => command.name === '_result' && command.transactionId === 2, timeoutMs);
    const streamId = created.args[0] as number;
    player.command({ name: 'play', transactionId: 3, commandObject: null, args: [name, -2000] }, streamId, 8);
    player.streamId = streamId;
    player.setBufferLength(3000);
    await player.waitForCommand((command) => command.name === 'onStatus' && (command.args[0] as { code?: string })?.code === 'NetStream.Play.Start', timeoutMs);
    return player;
  }

  /** The play's stream id (set once `play` got it). */
  streamId = 0;

  /** Sends User Control SetBufferLength for the play's stream (FFmpeg sends 3000 ms). */
  setBufferLength(bufferLength: number): void {
    this.socket.write(this.encoder.encode(encodeUserControl({ kind: 'SetBufferLength', streamId: this.streamId, bufferLength }), 2));
  }

  /** What arrived since the play started, in order: `status:<code>` and `user-control:<event id>` entries. */
  events(): string[] {
    return this.received.flatMap((message) => {
      if (message.type === 4) return [`user-control:${message.payload.readUInt16BE(0)}`];
      const command = decodeCommand(message);
      const code = (command.args[0] as { code?: unknown } | null)?.code;
      return command.name === 'onStatus' && typeof code === 'string' ? [`status:${code}`] : [];
    });
  }

  /** Stops reading: the server's writes back up (first in the kernel, then in its queue). */
  stopReading(): void {
    this.stopThrottle();
    this.socket.pause();
  }

  /** Reads about `bytesPerSecond` (in 100 ms slices): a player slower than the stream, but alive. */
  readAtMost(bytesPerSecond: number): void {
    this.stopThrottle();
    this.budget = bytesPerSecond / 10;
    this.throttle = setInterval(() => {
      this.budget = bytesPerSecond / 10;
      this.socket.resume();
    }, 100);
  }

  private stopThrottle(): void {
    if (this.throttle !== undefined) clearInterval(this.throttle);
    this.throttle = undefined;
    this.budget = Infinity;
  }

  /** Resolves once `check` holds for what arrived. */
  waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        if (!check()) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`raw player: condition not met in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
      waiter();
    });
  }

  destroy(): void {
    this.stopThrottle();
    this.socket.destroy();
  }

  private command(command: RtmpCommand, streamId = 0, chunkStreamId = 3): void {
    this.socket.write(this.encoder.encode(encodeCommand(command, { streamId }), chunkStreamId));
  }

  private async waitForCommand(match: (command: RtmpCommand) => boolean, timeoutMs: number): Promise<RtmpCommand> {
    let found: RtmpCommand | undefined;
    await this.waitFor(() => {
      for (const message of this.received) {
        if (message.type !== 20) continue;
        const command = decodeCommand(message);
        if (match(command)) {
          found = command;
          return true;
        }
      }
      return false;
    }, timeoutMs);
    return found!;
  }

  private decode(bytes: Buffer): void {
    this.budget -= bytes.length;
    if (this.budget <= 0) this.socket.pause();
    this.decoder.push(bytes, (message) => {
      if (message.type === 9) {
        this.videoCount++;
        if (message.payload[1] === 1) this.frames.push({ index: message.payload[message.payload.length - 1]!, keyframe: message.payload[0] === 0x17 });
      }
      // Only commands and User Control events are kept: media would only cost memory here.
      if (message.type === 20 || message.type === 4) this.received.push({ ...message, payload: Buffer.from(message.payload) });
    });
    for (const waiter of [...this.waiters]) waiter();
  }
}
