/**
 * One light RTMP player on a raw socket: simple handshake (C0C1 random, S1 echoed as C2), then
 * Set Chunk Size 4096, connect, createStream and play, encoded with @rtmpkit/core. Incoming
 * chunks are decoded with core's ChunkDecoder only until the first video keyframe; after that
 * the player only counts bytes. It always acknowledges (a type 3 message each time the server's
 * Window Acknowledgement Size is crossed, 2 500 000 until one is seen) and answers pings while
 * it still decodes.
 *
 * Mode 'connect' stops after the `connect` answer: an idle client that answers nothing else.
 * `stallAfterKeyframe` (mode 'play'): once the first keyframe is in, the player stops reading its
 * socket (socket.pause(), never resumed) and stays connected: a player that cannot keep up.
 */
import { randomFillSync } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  ChunkDecoder,
  ChunkEncoder,
  MessageType,
  decodeCommand,
  decodeUserControl,
  decodeWindowAcknowledgementSize,
  encodeAcknowledgement,
  encodeCommand,
  encodeSetChunkSize,
  encodeUserControl,
  type AmfValue,
  type RtmpMessage,
} from '@rtmpkit/core';
import type { Target } from './load-protocol.js';

export type PlayerMode = 'play' | 'connect';

const HANDSHAKE_SIZE = 1536;
const SERVER_HANDSHAKE = 1 + 2 * HANDSHAKE_SIZE; // S0 + S1 + S2
const OUT_CHUNK_SIZE = 4096;
const DEFAULT_WINDOW = 2_500_000;
/** Chunk streams we send on: protocol control, NetConnection commands, NetStream commands (nginx wants < 32). */
const CS_CONTROL = 2;
const CS_COMMAND = 3;
const CS_STREAM = 8;
const CONNECT_TX = 1;
const CREATE_STREAM_TX = 2;

/** Plain TCP reads land here: each read is handled synchronously before the next, so one buffer serves every socket. */
const READ_BUFFER = new Uint8Array(64 * 1024);

/** A video message that starts a keyframe (not a sequence header): AVC/HEVC NALU or any other codec's key frame. */
export function isVideoKeyframe(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const first = payload[0]!;
  if ((first & 0x80) !== 0) {
    // Enhanced RTMP: frame type in bits 4..6, packet type 1 (CodedFrames) or 3 (CodedFramesX).
    const packetType = first & 0x0f;
    return ((first >> 4) & 0x07) === 1 && (packetType === 1 || packetType === 3);
  }
  if (first >> 4 !== 1) return false;
  const codec = first & 0x0f;
  return codec === 7 || codec === 12 ? payload[1] === 1 : true;
}

function statusText(args: AmfValue[]): string {
  const info = args[0];
  if (info && typeof info === 'object' && !Array.isArray(info)) {
    const record = info as Record<string, AmfValue>;
    return `${String(record.code ?? '')} ${String(record.description ?? '')}`.trim();
  }
  return JSON.stringify(info ?? null);
}

export class Player {
  /** Every byte received, handshake included. */
  bytes = 0;
  /** ms from the start of the TCP connect to the first keyframe (-1: not yet). */
  keyframeMs = -1;
  /** ms from the start of the TCP connect to the `connect` answer (-1: not yet). */
  connectedMs = -1;
  error: string | undefined;
  closed = false;
  /** How far it got: for the diagnostics of players that never reach their goal. */
  stage: 'tcp' | 'handshake' | 'connect' | 'createStream' | 'play' | 'audio only' | 'video, no keyframe yet' | 'done' = 'tcp';

  private phase: 'handshake' | 'decoding' | 'counting' = 'handshake';
  private handshake: Buffer[] = [];
  private handshakeBytes = 0;
  private decoder: ChunkDecoder | null = new ChunkDecoder();
  private readonly encoder = new ChunkEncoder();
  private window = DEFAULT_WINDOW;
  private sinceAck = 0;
  private sequence = 0;
  private settled = false;
  private readonly socket: Socket;
  private readonly started = performance.now();

  constructor(
    private readonly target: Target,
    private readonly mode: PlayerMode,
    private readonly onSettled: (player: Player) => void,
    private readonly stallAfterKeyframe = false,
  ) {
    const { host, port } = target;
    if (target.tls) {
      this.socket = tlsConnect({ host, port, rejectUnauthorized: false }, () => this.onOpen());
      this.socket.on('data', (chunk: Buffer) => this.onBytes(chunk, false));
    } else {
      this.socket = tcpConnect({
        host,
        port,
        onread: {
          buffer: READ_BUFFER,
          callback: (size, buffer) => {
            this.onBytes(Buffer.from(buffer.buffer, buffer.byteOffset, size), true);
            return true;
          },
        },
      }, () => this.onOpen());
    }
    this.socket.setNoDelay(true);
    this.socket.on('error', (error) => this.fail(error.message));
    this.socket.on('close', () => {
      this.closed = true;
      this.fail('connection closed');
    });
  }

  /** True once the goal of the mode was reached (keyframe or connect answer). */
  get reached(): boolean {
    return this.mode === 'play' ? this.keyframeMs >= 0 : this.connectedMs >= 0;
  }

  close(): void {
    this.settled = true;
    this.socket.destroy();
  }

  private onOpen(): void {
    this.stage = 'handshake';
    const c0c1 = Buffer.alloc(1 + HANDSHAKE_SIZE);
    c0c1[0] = 3;
    randomFillSync(c0c1, 9); // time and zero fields stay 0
    this.socket.write(c0c1);
  }

  /** `shared`: the bytes are in the shared read buffer and must be copied to be kept. */
  private onBytes(chunk: Buffer, shared: boolean): void {
    this.bytes += chunk.length;
    if (this.phase === 'counting') {
      this.countForAck(chunk.length);
      return;
    }
    if (this.phase === 'decoding') {
      this.decode(chunk);
      return;
    }
    this.handshake.push(shared ? Buffer.from(chunk) : chunk);
    this.handshakeBytes += chunk.length;
    if (this.handshakeBytes < SERVER_HANDSHAKE) return;
    const all = Buffer.concat(this.handshake);
    this.handshake = [];
    if (all[0] !== 3) {
      this.fail(`S0 says version ${all[0]}, expected 3`);
      return;
    }
    this.socket.write(all.subarray(1, 1 + HANDSHAKE_SIZE)); // C2 = S1
    this.phase = 'decoding';
    this.stage = 'connect';
    this.send(encodeSetChunkSize(OUT_CHUNK_SIZE), CS_CONTROL);
    this.encoder.setChunkSize(OUT_CHUNK_SIZE);
    const { host, port, app, tls } = this.target;
    const commandObject: Record<string, AmfValue> = {
      app,
      flashVer: 'LNX 9,0,124,2',
      tcUrl: `${tls ? 'rtmps' : 'rtmp'}://${host}:${port}/${app}`,
      fpad: false,
      capabilities: 15,
      audioCodecs: 3191,
      videoCodecs: 252,
      videoFunction: 1,
    };
    this.send(encodeCommand({ name: 'connect', transactionId: CONNECT_TX, commandObject, args: [] }, { streamId: 0 }), CS_COMMAND);
    if (all.length > SERVER_HANDSHAKE) this.decode(all.subarray(SERVER_HANDSHAKE));
  }

  private decode(chunk: Buffer): void {
    this.countForAck(chunk.length);
    const decoder = this.decoder;
    if (decoder === null) return;
    try {
      decoder.push(chunk, this.onMessage);
    } catch (error) {
      this.fail(`decoding: ${(error as Error).message}`);
      this.socket.destroy();
    }
    if (this.phase === 'counting') this.decoder = null; // from now on only bytes are counted
  }

  private readonly onMessage = (message: RtmpMessage): void => {
    if (this.phase !== 'decoding') return;
    switch (message.type) {
      case MessageType.WindowAcknowledgementSize:
        this.window = decodeWindowAcknowledgementSize(message) || DEFAULT_WINDOW;
        break;
      case MessageType.UserControl: {
        const event = decodeUserControl(message);
        if (event.kind === 'PingRequest') this.send(encodeUserControl({ kind: 'PingResponse', timestamp: event.timestamp }), CS_CONTROL);
        break;
      }
      case MessageType.CommandAmf0:
        this.onCommand(message);
        break;
      case MessageType.Audio:
        if (this.stage === 'play') this.stage = 'audio only';
        break;
      case MessageType.Video:
        if (this.mode === 'play' && isVideoKeyframe(message.payload)) {
          this.keyframeMs = performance.now() - this.started;
          this.phase = 'counting';
          this.stage = 'done';
          if (this.stallAfterKeyframe) this.socket.pause();
          this.settle();
        } else {
          this.stage = 'video, no keyframe yet';
        }
        break;
      default:
        break;
    }
  };

  private onCommand(message: RtmpMessage): void {
    const command = decodeCommand(message);
    if (command.name === '_result' && command.transactionId === CONNECT_TX) {
      this.connectedMs = performance.now() - this.started;
      if (this.mode === 'connect') {
        this.phase = 'counting';
        this.stage = 'done';
        this.settle();
        return;
      }
      this.stage = 'createStream';
      this.send(encodeCommand({ name: 'createStream', transactionId: CREATE_STREAM_TX, commandObject: null, args: [] }, { streamId: 0 }), CS_COMMAND);
    } else if (command.name === '_result' && command.transactionId === CREATE_STREAM_TX) {
      const streamId = Number(command.args[0]);
      if (!Number.isInteger(streamId) || streamId <= 0) {
        this.fail(`createStream answered ${JSON.stringify(command.args[0] ?? null)}`);
        return;
      }
      this.stage = 'play';
      this.send(encodeCommand({ name: 'play', transactionId: 0, commandObject: null, args: [this.target.stream, -2] }, { streamId }), CS_STREAM);
      this.send(encodeUserControl({ kind: 'SetBufferLength', streamId, bufferLength: 3000 }), CS_CONTROL);
    } else if (command.name === '_error') {
      this.fail(`${command.transactionId === CONNECT_TX ? 'connect' : 'createStream'} refused: ${statusText(command.args)}`);
      this.socket.destroy();
    } else if (command.name === 'onStatus') {
      const info = command.args[0] as Record<string, AmfValue> | null;
      if (info && info.level === 'error') {
        this.fail(`onStatus ${statusText(command.args)}`);
        this.socket.destroy();
      }
    }
  }

  private countForAck(count: number): void {
    this.sequence = (this.sequence + count) % 0x1_0000_0000;
    this.sinceAck += count;
    if (this.sinceAck >= this.window) {
      this.sinceAck = 0;
      this.send(encodeAcknowledgement(this.sequence), CS_CONTROL);
    }
  }

  private send(message: RtmpMessage, chunkStreamId: number): void {
    if (!this.socket.destroyed) this.socket.write(this.encoder.encode(message, chunkStreamId));
  }

  private fail(reason: string): void {
    this.error ??= reason;
    this.settle();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettled(this);
  }
}
