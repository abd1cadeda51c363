import {
  ChunkDecoder,
  ChunkEncoder,
  MessageType,
  chunkStreamFor,
  decodeCommand,
  decodeUserControl,
  encodeSetChunkSize,
  RtmpProtocolError,
  splitAggregate,
  type ByteChannel,
  type ByteChannelHandlers,
  type PeerAddress as CorePeerAddress,
  type RtmpMessage,
} from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import type { RecvFlow } from '../flow/recv-flow.js';
import type { SendFlow } from '../flow/send-flow.js';
import { decodeTcMessage, encodeTcMessage, TC_MESSAGE_HEADER } from '../tc/tc-message.js';
import { decodeTcMetadata, encodeTcMetadata } from '../tc/tc-metadata.js';
import { isSetPeerInfo, readPeerInfo } from '../tc/peer-info.js';
import { decodeSetKeepalive, encodeSetKeepalive, TcUserControl, type KeepalivePeriods } from '../tc/user-control.js';
import type { EndpointSession } from './endpoint-session.js';

/** How a TC channel behaves. */
export interface TcChannelOptions {
  readonly role: 'client' | 'server';
  /** Audio and video older than this (ms) may be abandoned; 0: media is reliable. */
  readonly mediaDeadlineMs: number;
  /** `write` asks the session to wait above this many unacknowledged bytes. */
  readonly highWaterMark: number;
  /** Largest message, as the session's limits say. */
  readonly maxMessageSize: number;
  /** Server: the Set Keepalive answered to `setPeerInfo` (undefined: none). */
  readonly keepalive?: KeepalivePeriods;
  /** Server: the addresses a client reported with `setPeerInfo`. */
  onPeerInfo?(addresses: PeerAddress[]): void;
  /** The session can carry nothing more (closed by either side, or failed). */
  onClose?(): void;
}

/** The chunk size used between the channel and the session: every message fits in one chunk. */
const LOCAL_CHUNK_SIZE = 0x1000000;
const AUDIO = 8;
const EMPTY = Buffer.alloc(0);
const VIDEO = 9;

/**
 * Lets core's NetConnection/NetStream session run over RTMFP flows (RFC 7425 §5): core writes
 * RTMP chunk bytes; they are decoded here into messages and each goes as one TC message on the
 * flow of its stream (stream 0: the control flow; the client opens it, the server answers with
 * a return flow; NetStream flows are return flows of the peer's control flow). Messages from
 * the peer's flows are chunk-encoded back for core. RTMP protocol control (chunk size,
 * acknowledgements, windows, bandwidth, pings) has no place in RTMFP and is dropped both ways.
 * Audio and video go with a deadline (partial reliability); commands and data are reliable.
 */
export class TcChannel implements ByteChannel {
  readonly secure = false;
  readonly remote: CorePeerAddress;
  private handlers: ByteChannelHandlers | undefined;
  private readonly decoder: ChunkDecoder;
  private readonly encoder = new ChunkEncoder();
  private readonly sendFlows = new Map<number, SendFlow>();
  private controlRecv: RecvFlow | undefined;
  private readonly held: { bytes: Buffer; flow: RecvFlow | undefined }[] = [];
  private heldBytes = 0;
  private paused = true;
  private started = false;
  private needDrain = false;
  private closeReported = false;
  private closeError: Error | undefined;
  private lastAlive = Number.NEGATIVE_INFINITY;
  private barrier: { flow: SendFlow; held: RtmpMessage[] } | undefined;
  private endAfterBarrier = false;
  private releasing: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly session: EndpointSession,
    private readonly options: TcChannelOptions,
  ) {
    const remote = session.remote;
    this.remote = { address: remote.host, port: remote.port, family: remote.host.includes(':') ? 'IPv6' : 'IPv4' };
    this.decoder = new ChunkDecoder({ maxMessageSize: options.maxMessageSize });
    session.attach({
      incomingFlow: (flow) => this.incomingFlow(flow),
      closed: (error) => this.reportClose(error),
      flowException: (flow, code) => this.flowRefused(flow, code),
      afterPoll: () => this.afterPoll(),
      received: () => this.alive(),
    });
  }

  // ---- ByteChannel ----------------------------------------------------------------------

  write(bytes: Uint8Array): boolean {
    try {
      this.decoder.push(bytes, (message) => this.fromCore(message));
    } catch (error) {
      this.destroy(error as Error);
      return false;
    }
    this.session.pollSoon();
    const below = this.session.machine.bufferedBytes < this.options.highWaterMark;
    if (!below) this.needDrain = true;
    return below;
  }

  get writableLength(): number {
    return this.session.machine.bufferedBytes;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.scheduleRelease();
  }

  end(): void {
    if (this.barrier) this.endAfterBarrier = true;
    else this.session.machine.close();
    this.session.pollSoon();
  }

  destroy(error?: Error): void {
    if (this.session.machine.state === 'open' || this.session.machine.state === 'closing') {
      this.session.machine.abort(this.session.now(), error);
      this.session.pollSoon();
    }
    this.reportClose(error);
  }

  attach(handlers: ByteChannelHandlers): void {
    this.handlers = handlers;
    if (this.closeReported) {
      queueMicrotask(() => handlers.close(this.closeError));
      return;
    }
    // The RTMFP handshake is over already; core's no-op handshake ends on the first bytes: ours
    // say that every message comes in one chunk.
    queueMicrotask(() => {
      if (this.closeReported) return;
      const setChunkSize = this.encoder.encode(encodeSetChunkSize(LOCAL_CHUNK_SIZE), 2);
      this.encoder.setChunkSize(LOCAL_CHUNK_SIZE);
      this.started = true;
      handlers.data(setChunkSize);
      this.paused = false;
      this.release();
    });
  }

  // ---- core → flows ----------------------------------------------------------------------

  private fromCore(message: RtmpMessage): void {
    switch (message.type) {
      case MessageType.SetChunkSize:
      case MessageType.Abort:
      case MessageType.Acknowledgement:
      case MessageType.WindowAcknowledgementSize:
      case MessageType.SetPeerBandwidth:
        return; // RTMP's own flow control: RTMFP has its own
      case MessageType.UserControl: {
        const event = decodeUserControl(message);
        if (event.kind === 'PingRequest' || event.kind === 'PingResponse') return;
        this.send('streamId' in event ? event.streamId : 0, message);
        return;
      }
      case MessageType.Aggregate:
        for (const part of splitAggregate(message)) this.send(message.streamId, part);
        return;
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        if (message.streamId === 0 && !this.barrier) {
          const deleted = this.deletedStream(message);
          const flow = deleted === undefined ? undefined : this.sendFlows.get(deleted);
          if (flow) {
            this.sendFlows.delete(deleted!);
            flow.close();
            // Flows are not ordered with each other: deleteStream waits until the stream's flow
            // has delivered everything (its FIN acknowledged), so the peer does not drop the end
            // of the stream. What follows on the control flow waits with it.
            if (flow.state !== 'complete') {
              this.barrier = { flow, held: [message] };
              return;
            }
          }
        }
        this.send(message.streamId, message);
        return;
      default:
        this.send(message.streamId, message);
    }
  }

  /** Releases the control flow's messages held behind a deleteStream once that stream's flow is done. */
  private releaseBarrier(): void {
    const barrier = this.barrier;
    if (!barrier || (barrier.flow.state !== 'complete' && this.session.machine.state === 'open')) return;
    this.barrier = undefined;
    for (const message of barrier.held) this.send(0, message);
    if (this.endAfterBarrier) this.session.machine.close();
    this.session.pollSoon();
  }

  private send(streamId: number, message: RtmpMessage): void {
    if (streamId === 0 && this.barrier) {
      this.barrier.held.push(message);
      return;
    }
    const flow = this.flowFor(streamId);
    if (!flow) return;
    const media = message.type === AUDIO || message.type === VIDEO;
    const deadline = media && this.options.mediaDeadlineMs > 0 ? this.session.now() + this.options.mediaDeadlineMs : undefined;
    flow.write(encodeTcMessage(message), deadline);
  }

  private flowFor(streamId: number): SendFlow | undefined {
    const existing = this.sendFlows.get(streamId);
    if (existing && existing.state === 'open') return existing;
    const machine = this.session.machine;
    if (machine.state !== 'open') return undefined;
    // Client: the control flow stands alone; everything else answers the server's control flow.
    // Server: everything answers the client's control flow.
    const answer = this.options.role === 'client' && streamId === 0 ? undefined : this.controlRecv?.id;
    const flow = machine.openFlow({
      metadata: encodeTcMetadata({ streamId, receiveIntent: 'sequence' }),
      ...(answer !== undefined && { returnFlowId: answer }),
      timeCritical: streamId !== 0,
    });
    this.sendFlows.set(streamId, flow);
    return flow;
  }

  /** The stream a deleteStream command names, or undefined for any other command. */
  private deletedStream(message: RtmpMessage): number | undefined {
    if (message.payload.length > 48 || !message.payload.includes('deleteStream')) return undefined;
    try {
      const command = decodeCommand(message);
      const id = command.args.find((value) => typeof value === 'number');
      return command.name === 'deleteStream' && typeof id === 'number' && id > 0 ? id : undefined;
    } catch {
      return undefined;
    }
  }

  /** The peer deleted a stream: our flow for it finishes (FIN). */
  private watchDeleteStream(message: RtmpMessage): void {
    const id = this.deletedStream(message);
    if (id === undefined) return;
    this.sendFlows.get(id)?.close();
    this.sendFlows.delete(id);
  }

  // ---- flows → core ----------------------------------------------------------------------

  private incomingFlow(flow: RecvFlow): void {
    const metadata = decodeTcMetadata(flow.metadata);
    if (!metadata) {
      flow.reject(0);
      return;
    }
    const { streamId } = metadata;
    if (streamId === 0 && !this.controlRecv) this.controlRecv = flow;
    flow.accept((data) => {
      try {
        this.fromFlow(flow, streamId, data);
      } catch (error) {
        this.destroy(error as Error); // a TC message core cannot take: this session ends, others go on
      }
    });
  }

  private fromFlow(flow: RecvFlow, streamId: number, data: Buffer): void {
    if (data.length < TC_MESSAGE_HEADER) return; // e.g. an empty keepalive message
    const message = decodeTcMessage(data, streamId);
    switch (message.type) {
      case MessageType.UserControl: {
        const keepalive = decodeSetKeepalive(message.payload);
        if (keepalive) {
          if (this.options.role === 'client') this.session.machine.setKeepalive(keepalive.serverMs);
          return;
        }
        if (message.payload.length >= 2 && message.payload.readUInt16BE(0) === TcUserControl.FlowSync) return;
        this.toCore({ ...message, streamId: 0 }, flow);
        return;
      }
      case MessageType.SetChunkSize:
      case MessageType.Abort:
      case MessageType.Acknowledgement:
      case MessageType.WindowAcknowledgementSize:
      case MessageType.SetPeerBandwidth:
        return;
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        if (this.options.role === 'server' && streamId === 0 && isSetPeerInfo(message)) {
          this.peerInfo(message);
          return;
        }
        if (streamId === 0) this.watchDeleteStream(message);
        this.toCore(message, flow);
        return;
      default:
        this.toCore(message, flow);
    }
  }

  private peerInfo(message: RtmpMessage): void {
    try {
      this.options.onPeerInfo?.(readPeerInfo(message));
    } catch {
      // A malformed setPeerInfo only loses the addresses.
    }
    const keepalive = this.options.keepalive;
    if (keepalive) {
      this.flowFor(0)?.write(encodeTcMessage({ type: MessageType.UserControl, timestamp: 0, payload: encodeSetKeepalive(keepalive) }));
      this.session.pollSoon();
    }
  }

  private toCore(message: RtmpMessage, flow: RecvFlow): void {
    const bytes = this.encoder.encode(message, chunkStreamFor(message.type, message.streamId, 31));
    if (!this.paused && this.held.length === 0 && this.started) {
      this.handlers?.data(bytes);
      return;
    }
    this.held.push({ bytes, flow });
    this.heldBytes += bytes.length;
    flow.heldBytes += bytes.length;
  }

  private scheduleRelease(): void {
    if (this.releasing !== undefined) return;
    this.releasing = setImmediate(() => {
      this.releasing = undefined;
      this.release();
    });
  }

  private release(): void {
    while (!this.paused && this.held.length > 0 && !this.closeReported) {
      const { bytes, flow } = this.held.shift()!;
      this.heldBytes -= bytes.length;
      if (flow) {
        flow.heldBytes -= bytes.length;
        if (flow.heldBytes === 0) this.session.machine.windowOpened(flow);
      }
      this.handlers?.data(bytes);
    }
    this.session.pollSoon();
  }

  // ---- session events --------------------------------------------------------------------

  /**
   * The peer refused one of our flows. Refusing the control flow (stream 0) ends the
   * NetConnection, as rtmfp-cpp's own client takes it: an endpoint that takes no TC connections
   * answers our `connect` that way (rtmfp-cpp's tcconn, introduced as a peer), so the session
   * ends now rather than at the connect timeout. A refused stream flow only loses that stream.
   */
  private flowRefused(flow: SendFlow, code: number): void {
    if (this.closeReported || this.sendFlows.get(0) !== flow) return;
    this.destroy(new RtmpProtocolError(`the peer refused the NetConnection's control flow (flow exception ${code}): the connection is over`));
  }

  /** Tells core the peer is alive (its idle deadline counts bytes; RTMFP keepalives carry none). */
  private alive(): void {
    const now = this.session.now();
    if (!this.started || this.closeReported || now - this.lastAlive < 1000) return;
    this.lastAlive = now;
    this.handlers?.data(EMPTY);
  }

  private afterPoll(): void {
    this.releaseBarrier();
    if (this.needDrain && this.session.machine.bufferedBytes < this.options.highWaterMark / 2) {
      this.needDrain = false;
      this.handlers?.drain();
    }
  }

  private reportClose(error: Error | undefined): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.closeError = error;
    this.options.onClose?.();
    const handlers = this.handlers;
    if (!handlers) return;
    // What the peer sent before it closed reaches core first.
    this.paused = false;
    const rest = this.held.splice(0);
    queueMicrotask(() => {
      for (const { bytes } of rest) handlers.data(bytes);
      handlers.close(error);
    });
  }
}
